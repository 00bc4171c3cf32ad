CREATE TABLE "file_uploads" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "file_uploads_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"ticket_id" integer NOT NULL,
	"comment_id" integer,
	"name" text NOT NULL,
	"mimetype" text,
	"size" bigint NOT NULL,
	"content" "bytea",
	"slack_file_id" text,
	"uploaded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mail_messages" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "mail_messages_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"ticket_id" integer NOT NULL,
	"comment_id" integer,
	"direction" text NOT NULL,
	"message_id" text NOT NULL,
	"outbox_id" bigint,
	"address" text NOT NULL,
	"subject" text NOT NULL,
	"body_text" text,
	"headers" jsonb,
	"status" text NOT NULL,
	"detail" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mail_messages_direction" CHECK (direction in ('in', 'out')),
	CONSTRAINT "mail_messages_status" CHECK (status in ('received', 'sent', 'bounced'))
);
--> statement-breakpoint
ALTER TABLE "tickets" DROP CONSTRAINT "tickets_source";--> statement-breakpoint
ALTER TABLE "comments" ALTER COLUMN "author_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "tickets" ALTER COLUMN "requester_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "comments" ADD COLUMN "author_email" text;--> statement-breakpoint
ALTER TABLE "desks" ADD COLUMN "mailbox" text;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "requester_email" text;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "requester_name" text;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "sender_check" text;--> statement-breakpoint
ALTER TABLE "file_uploads" ADD CONSTRAINT "file_uploads_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "file_uploads" ADD CONSTRAINT "file_uploads_comment_id_comments_id_fk" FOREIGN KEY ("comment_id") REFERENCES "public"."comments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_messages" ADD CONSTRAINT "mail_messages_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_messages" ADD CONSTRAINT "mail_messages_comment_id_comments_id_fk" FOREIGN KEY ("comment_id") REFERENCES "public"."comments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "file_uploads_ticket" ON "file_uploads" USING btree ("ticket_id");--> statement-breakpoint
CREATE UNIQUE INDEX "mail_messages_message_id" ON "mail_messages" USING btree ("direction","message_id");--> statement-breakpoint
CREATE INDEX "mail_messages_ticket" ON "mail_messages" USING btree ("ticket_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "desks_mailbox" ON "desks" USING btree ("mailbox") WHERE "desks"."mailbox" is not null;--> statement-breakpoint
ALTER TABLE "comments" ADD CONSTRAINT "comments_author" CHECK ("comments"."author_id" is not null or "comments"."author_email" is not null);--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_sender_check" CHECK (sender_check in ('pass', 'fail'));--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_requester" CHECK ("tickets"."requester_id" is not null or "tickets"."requester_email" is not null);--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_source" CHECK (source in ('slash_command', 'message_shortcut', 'global_shortcut', 'api', 'email'));