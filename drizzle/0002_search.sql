-- Full-text search over tickets and comments (hand-written: drizzle's schema does not declare these
-- columns, so ordinary selects never fetch them). The 'english' configuration stems words, so
-- "printers" finds "printer"; a query matches its words in any order. The folio and subject weigh
-- more than the description.
ALTER TABLE "tickets" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('english', "folio" || ' ' || "subject"), 'A') ||
  setweight(to_tsvector('english', "description"), 'B')
) STORED;--> statement-breakpoint
CREATE INDEX "tickets_search" ON "tickets" USING gin ("search_vector");--> statement-breakpoint
ALTER TABLE "comments" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS (
  to_tsvector('english', "body")
) STORED;--> statement-breakpoint
CREATE INDEX "comments_search" ON "comments" USING gin ("search_vector");
