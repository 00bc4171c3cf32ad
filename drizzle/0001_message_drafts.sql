CREATE TABLE "message_drafts" (
	"id" text PRIMARY KEY NOT NULL,
	"channel_id" text NOT NULL,
	"message_ts" text NOT NULL,
	"thread_ts" text,
	"author_id" text,
	"text" text NOT NULL,
	"files" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"permalink" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
