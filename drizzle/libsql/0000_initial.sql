CREATE TABLE `api_resource_scopes` (
	`api_resource_name` text NOT NULL,
	`scope_name` text NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`api_resource_name`, `scope_name`)
);
--> statement-breakpoint
CREATE INDEX `api_resource_scopes_scope` ON `api_resource_scopes` (`scope_name`);--> statement-breakpoint
CREATE TABLE `api_resources` (
	`name` text PRIMARY KEY NOT NULL,
	`enabled` integer NOT NULL,
	`data` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `api_scopes` (
	`name` text PRIMARY KEY NOT NULL,
	`enabled` integer NOT NULL,
	`data` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `clients` (
	`client_id` text PRIMARY KEY NOT NULL,
	`enabled` integer NOT NULL,
	`data` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `device_codes` (
	`device_code_key` text PRIMARY KEY NOT NULL,
	`user_code` text NOT NULL,
	`client_id` text NOT NULL,
	`status` text NOT NULL,
	`subject_id` text,
	`session_id` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`consumed_at` integer,
	`data` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `device_codes_user_code` ON `device_codes` (`user_code`);--> statement-breakpoint
CREATE INDEX `device_codes_expires_at` ON `device_codes` (`expires_at`);--> statement-breakpoint
CREATE TABLE `persisted_grants` (
	`key` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`subject_id` text,
	`session_id` text,
	`client_id` text NOT NULL,
	`description` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`consumed_at` integer,
	`data` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `persisted_grants_subject_client_type` ON `persisted_grants` (`subject_id`,`client_id`,`type`);--> statement-breakpoint
CREATE INDEX `persisted_grants_subject_session_type` ON `persisted_grants` (`subject_id`,`session_id`,`type`);--> statement-breakpoint
CREATE INDEX `persisted_grants_expires_at` ON `persisted_grants` (`expires_at`);--> statement-breakpoint
CREATE TABLE `identity_resources` (
	`name` text PRIMARY KEY NOT NULL,
	`enabled` integer NOT NULL,
	`data` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `keys` (
	`id` text PRIMARY KEY NOT NULL,
	`use` text NOT NULL,
	`algorithm` text NOT NULL,
	`created_at` integer NOT NULL,
	`data` text NOT NULL,
	`version` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `replay_cache` (
	`id` text PRIMARY KEY NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `replay_cache_expires_at` ON `replay_cache` (`expires_at`);--> statement-breakpoint
CREATE TABLE `user_sessions` (
	`key` text PRIMARY KEY NOT NULL,
	`subject_id` text NOT NULL,
	`session_id` text NOT NULL,
	`display_name` text,
	`created_at` integer NOT NULL,
	`renewed_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`data` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `user_sessions_subject` ON `user_sessions` (`subject_id`);--> statement-breakpoint
CREATE INDEX `user_sessions_expires_at` ON `user_sessions` (`expires_at`);--> statement-breakpoint
CREATE TABLE `users` (
	`subject_id` text PRIMARY KEY NOT NULL,
	`username` text NOT NULL,
	`normalized_username` text NOT NULL,
	`password_hash` text,
	`claims` text NOT NULL,
	`enabled` integer NOT NULL,
	`failed_count` integer NOT NULL,
	`locked_until` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_normalized_username` ON `users` (`normalized_username`);