CREATE TABLE "api_resource_scopes" (
	"api_resource_name" text NOT NULL,
	"scope_name" text NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "api_resource_scopes_api_resource_name_scope_name_pk" PRIMARY KEY("api_resource_name","scope_name")
);
--> statement-breakpoint
CREATE TABLE "api_resources" (
	"name" text PRIMARY KEY NOT NULL,
	"enabled" boolean NOT NULL,
	"data" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_scopes" (
	"name" text PRIMARY KEY NOT NULL,
	"enabled" boolean NOT NULL,
	"data" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "clients" (
	"client_id" text PRIMARY KEY NOT NULL,
	"enabled" boolean NOT NULL,
	"data" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "device_codes" (
	"device_code_key" text PRIMARY KEY NOT NULL,
	"user_code" text NOT NULL,
	"client_id" text NOT NULL,
	"status" text NOT NULL,
	"subject_id" text,
	"session_id" text,
	"created_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL,
	"consumed_at" bigint,
	"data" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "persisted_grants" (
	"key" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"subject_id" text,
	"session_id" text,
	"client_id" text NOT NULL,
	"description" text,
	"created_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL,
	"consumed_at" bigint,
	"data" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "identity_resources" (
	"name" text PRIMARY KEY NOT NULL,
	"enabled" boolean NOT NULL,
	"data" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "keys" (
	"id" text PRIMARY KEY NOT NULL,
	"use" text NOT NULL,
	"algorithm" text NOT NULL,
	"created_at" bigint NOT NULL,
	"data" text NOT NULL,
	"version" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "replay_cache" (
	"id" text PRIMARY KEY NOT NULL,
	"expires_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "user_sessions" (
	"key" text PRIMARY KEY NOT NULL,
	"subject_id" text NOT NULL,
	"session_id" text NOT NULL,
	"display_name" text,
	"created_at" bigint NOT NULL,
	"renewed_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL,
	"data" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"subject_id" text PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"normalized_username" text NOT NULL,
	"password_hash" text,
	"claims" jsonb NOT NULL,
	"enabled" boolean NOT NULL,
	"failed_count" integer NOT NULL,
	"locked_until" bigint
);
--> statement-breakpoint
CREATE INDEX "api_resource_scopes_scope" ON "api_resource_scopes" USING btree ("scope_name");--> statement-breakpoint
CREATE UNIQUE INDEX "device_codes_user_code" ON "device_codes" USING btree ("user_code");--> statement-breakpoint
CREATE INDEX "device_codes_expires_at" ON "device_codes" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "persisted_grants_subject_client_type" ON "persisted_grants" USING btree ("subject_id","client_id","type");--> statement-breakpoint
CREATE INDEX "persisted_grants_subject_session_type" ON "persisted_grants" USING btree ("subject_id","session_id","type");--> statement-breakpoint
CREATE INDEX "persisted_grants_expires_at" ON "persisted_grants" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "replay_cache_expires_at" ON "replay_cache" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "user_sessions_subject" ON "user_sessions" USING btree ("subject_id");--> statement-breakpoint
CREATE INDEX "user_sessions_expires_at" ON "user_sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "users_normalized_username" ON "users" USING btree ("normalized_username");