ALTER TABLE "outbox" DROP CONSTRAINT "outbox_dedupe_key_unique";--> statement-breakpoint
ALTER TABLE "ticket_events" ADD COLUMN "ticket_version" integer;--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_pending_dedupe" ON "outbox" USING btree ("dedupe_key") WHERE "outbox"."dedupe_key" is not null and "outbox"."delivered_at" is null and "outbox"."failed_at" is null;--> statement-breakpoint
CREATE INDEX "ticket_events_type_time" ON "ticket_events" USING btree ("type","created_at");