CREATE INDEX "sla_timers_settled" ON "sla_timers" USING btree (least("met_at", "breached_at", "due_at"));--> statement-breakpoint
CREATE INDEX "tickets_desk_created" ON "tickets" USING btree ("desk_key","created_at");--> statement-breakpoint
CREATE INDEX "tickets_desk_resolved" ON "tickets" USING btree ("desk_key","resolved_at") WHERE "tickets"."resolved_at" is not null;