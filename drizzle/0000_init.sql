CREATE TABLE "attachments" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "attachments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"ticket_id" integer NOT NULL,
	"comment_id" integer,
	"slack_file_id" text NOT NULL,
	"name" text NOT NULL,
	"mimetype" text,
	"size" bigint,
	"permalink" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "attachments_file" UNIQUE NULLS NOT DISTINCT("ticket_id","comment_id","slack_file_id")
);
--> statement-breakpoint
CREATE TABLE "comments" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "comments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"ticket_id" integer NOT NULL,
	"author_id" text NOT NULL,
	"body" text NOT NULL,
	"visibility" text NOT NULL,
	"slack_channel_id" text,
	"slack_ts" text,
	"mirror_channel_id" text,
	"mirror_ts" text,
	"edited_at" timestamp with time zone,
	"deleted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "comments_slack_message" UNIQUE("slack_channel_id","slack_ts"),
	CONSTRAINT "comments_mirror_message" UNIQUE("mirror_channel_id","mirror_ts"),
	CONSTRAINT "comments_visibility" CHECK (visibility in ('public', 'internal'))
);
--> statement-breakpoint
CREATE TABLE "links" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "links_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"ticket_id" integer NOT NULL,
	"kind" text NOT NULL,
	"title" text,
	"url" text,
	"linked_ticket_id" integer,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "links_url" UNIQUE("ticket_id","url"),
	CONSTRAINT "links_ticket" UNIQUE("ticket_id","linked_ticket_id"),
	CONSTRAINT "links_kind" CHECK (kind in ('task', 'ticket')),
	CONSTRAINT "links_target" CHECK (("links"."url" is not null) <> ("links"."linked_ticket_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "job_runs" (
	"job" text NOT NULL,
	"fire_at" timestamp with time zone NOT NULL,
	"claimed_by" text NOT NULL,
	"claimed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"summary" jsonb,
	CONSTRAINT "job_runs_job_fire_at_pk" PRIMARY KEY("job","fire_at")
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "outbox_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"ticket_id" integer,
	"payload" jsonb NOT NULL,
	"ordering_key" text,
	"dedupe_key" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"available_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone,
	"locked_by" text,
	"may_have_posted" boolean DEFAULT false NOT NULL,
	"delivered_at" timestamp with time zone,
	"failed_at" timestamp with time zone,
	"last_error" text,
	"result" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outbox_dedupe_key_unique" UNIQUE("dedupe_key")
);
--> statement-breakpoint
CREATE TABLE "slack_events" (
	"event_id" text PRIMARY KEY NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "categories" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "categories_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"desk_key" text NOT NULL,
	"owner_id" text,
	"position" integer DEFAULT 0 NOT NULL,
	"origin" text NOT NULL,
	"file_snapshot" jsonb,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "categories_origin" CHECK (origin in ('file', 'slack'))
);
--> statement-breakpoint
CREATE TABLE "desk_members" (
	"desk_key" text NOT NULL,
	"user_id" text NOT NULL,
	"is_lead" boolean DEFAULT false NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "desk_members_desk_key_user_id_pk" PRIMARY KEY("desk_key","user_id")
);
--> statement-breakpoint
CREATE TABLE "desks" (
	"key" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"channel_id" text,
	"escalation_channel_id" text,
	"is_private" boolean DEFAULT false NOT NULL,
	"assignment" text DEFAULT 'round_robin' NOT NULL,
	"auto_close_after_days" integer DEFAULT 3 NOT NULL,
	"folio_prefix" text NOT NULL,
	"timezone" text NOT NULL,
	"business_hours" jsonb NOT NULL,
	"holidays" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"sla" jsonb NOT NULL,
	"reminders" jsonb NOT NULL,
	"templates" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"last_assignee_id" text,
	"origin" text NOT NULL,
	"file_snapshot" jsonb,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text,
	CONSTRAINT "desks_assignment" CHECK (assignment in ('round_robin', 'fewest_open', 'none')),
	CONSTRAINT "desks_origin" CHECK (origin in ('file', 'slack'))
);
--> statement-breakpoint
CREATE TABLE "ticket_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ticket_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"ticket_id" integer,
	"desk_key" text,
	"actor_id" text,
	"type" text NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sla_timers" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sla_timers_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"ticket_id" integer NOT NULL,
	"kind" text NOT NULL,
	"target_minutes" integer NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone,
	"paused_at" timestamp with time zone,
	"remaining_seconds" bigint,
	"met_at" timestamp with time zone,
	"breached_at" timestamp with time zone,
	"next_alert_at" timestamp with time zone,
	"deadline_version" integer DEFAULT 1 NOT NULL,
	"reminders_sent" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sla_timers_ticket_kind" UNIQUE("ticket_id","kind"),
	CONSTRAINT "sla_timers_kind" CHECK (kind in ('first_response', 'next_response', 'resolution'))
);
--> statement-breakpoint
CREATE TABLE "folio_counters" (
	"prefix" text PRIMARY KEY NOT NULL,
	"last_number" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tickets" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "tickets_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"folio" text NOT NULL,
	"subject" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"desk_key" text NOT NULL,
	"category_id" integer,
	"priority" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"requester_id" text NOT NULL,
	"assignee_id" text,
	"created_by" text NOT NULL,
	"source" text NOT NULL,
	"source_channel_id" text,
	"source_message_ts" text,
	"source_permalink" text,
	"card_channel_id" text,
	"card_ts" text,
	"requester_channel_id" text,
	"requester_thread_ts" text,
	"snoozed_until" timestamp with time zone,
	"snooze_reason" text,
	"resolution_note" text,
	"version" integer DEFAULT 1 NOT NULL,
	"idempotency_key" text,
	"first_responded_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"last_activity_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tickets_folio_unique" UNIQUE("folio"),
	CONSTRAINT "tickets_idempotency_key_unique" UNIQUE("idempotency_key"),
	CONSTRAINT "tickets_status" CHECK (status in ('open', 'in_progress', 'waiting', 'resolved', 'closed')),
	CONSTRAINT "tickets_priority" CHECK (priority in ('low', 'medium', 'high', 'urgent')),
	CONSTRAINT "tickets_source" CHECK (source in ('slash_command', 'message_shortcut', 'global_shortcut', 'api'))
);
--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_comment_id_comments_id_fk" FOREIGN KEY ("comment_id") REFERENCES "public"."comments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comments" ADD CONSTRAINT "comments_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "links" ADD CONSTRAINT "links_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "links" ADD CONSTRAINT "links_linked_ticket_id_tickets_id_fk" FOREIGN KEY ("linked_ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "categories" ADD CONSTRAINT "categories_desk_key_desks_key_fk" FOREIGN KEY ("desk_key") REFERENCES "public"."desks"("key") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "desk_members" ADD CONSTRAINT "desk_members_desk_key_desks_key_fk" FOREIGN KEY ("desk_key") REFERENCES "public"."desks"("key") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_events" ADD CONSTRAINT "ticket_events_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_timers" ADD CONSTRAINT "sla_timers_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_desk_key_desks_key_fk" FOREIGN KEY ("desk_key") REFERENCES "public"."desks"("key") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_category_id_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "attachments_comment" ON "attachments" USING btree ("comment_id");--> statement-breakpoint
CREATE INDEX "comments_ticket" ON "comments" USING btree ("ticket_id","created_at");--> statement-breakpoint
CREATE INDEX "outbox_pending" ON "outbox" USING btree ("available_at","id") WHERE "outbox"."delivered_at" is null and "outbox"."failed_at" is null;--> statement-breakpoint
CREATE INDEX "outbox_ordering" ON "outbox" USING btree ("ordering_key","id") WHERE "outbox"."delivered_at" is null and "outbox"."failed_at" is null;--> statement-breakpoint
CREATE INDEX "outbox_ticket" ON "outbox" USING btree ("ticket_id","id");--> statement-breakpoint
CREATE INDEX "slack_events_received" ON "slack_events" USING btree ("received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "categories_name" ON "categories" USING btree (lower("name"));--> statement-breakpoint
CREATE INDEX "desk_members_user" ON "desk_members" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "ticket_events_ticket" ON "ticket_events" USING btree ("ticket_id","id");--> statement-breakpoint
CREATE INDEX "ticket_events_desk" ON "ticket_events" USING btree ("desk_key","id");--> statement-breakpoint
CREATE INDEX "sla_timers_next_alert" ON "sla_timers" USING btree ("next_alert_at") WHERE "sla_timers"."next_alert_at" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "tickets_source_message" ON "tickets" USING btree ("source_channel_id","source_message_ts") WHERE "tickets"."source_message_ts" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "tickets_card" ON "tickets" USING btree ("card_channel_id","card_ts") WHERE "tickets"."card_ts" is not null;--> statement-breakpoint
CREATE INDEX "tickets_requester_thread" ON "tickets" USING btree ("requester_channel_id","requester_thread_ts") WHERE "tickets"."requester_thread_ts" is not null;--> statement-breakpoint
CREATE INDEX "tickets_desk_status" ON "tickets" USING btree ("desk_key","status","created_at");--> statement-breakpoint
CREATE INDEX "tickets_assignee_status" ON "tickets" USING btree ("assignee_id","status") WHERE "tickets"."assignee_id" is not null;--> statement-breakpoint
CREATE INDEX "tickets_requester" ON "tickets" USING btree ("requester_id","created_at");--> statement-breakpoint
CREATE INDEX "tickets_snoozed_until" ON "tickets" USING btree ("snoozed_until") WHERE "tickets"."snoozed_until" is not null;--> statement-breakpoint
CREATE INDEX "tickets_resolved_at" ON "tickets" USING btree ("resolved_at") WHERE "tickets"."status" = 'resolved';