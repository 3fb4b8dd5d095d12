-- Every value flags-core's FlagDefinition / UserOverride schema refuses is refused here too, so a row
-- written by any SQL client can never make an SDK reject the whole snapshot. One CHECK per column,
-- named <table>_<column>_check; flagChecks.integration.test.ts holds each rule against zod's verdict.
-- Lengths are char_length: zod 4 measures strings in code points too, not UTF-16 units.

-- An http(s) URL that WHATWG's parser (zod's z.url) accepts: a subset, see the test for where it is stricter.
-- Host: ASCII labels, the last one starting with a letter (an all-digit last label makes the parser read
-- an IPv4 address and fail on a bad one) and no xn-- label (invalid punycode fails); port 0-65535.
CREATE FUNCTION "stagegate_is_http_url"(url text) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT url ~* ('^https?://'
        || '((?!xn--)[a-z0-9-]+\.)*(?!xn--)[a-z][a-z0-9-]*'
        || '(:0*([0-9]{0,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?'
        || '([/?#\\].*)?$');
$$;

-- The bounds that audit_and_notify's checks left out are added to the same constraints.
ALTER TABLE "flags" DROP CONSTRAINT "flags_rollout_percentage_check";
ALTER TABLE "flags" DROP CONSTRAINT "flags_ttl_days_check";

ALTER TABLE "flags" ADD CONSTRAINT "flags_key_check" CHECK ("key" ~ '^[a-z0-9][a-z0-9._-]{0,99}$');
ALTER TABLE "flags" ADD CONSTRAINT "flags_name_check" CHECK (char_length("name") BETWEEN 1 AND 200);
ALTER TABLE "flags" ADD CONSTRAINT "flags_description_check" CHECK (char_length("description") <= 2000);
ALTER TABLE "flags" ADD CONSTRAINT "flags_category_check" CHECK (char_length("category") <= 100);
-- zod 4's z.email() pattern, verbatim: PostgreSQL's regular expressions read it the same way.
ALTER TABLE "flags" ADD CONSTRAINT "flags_owner_check" CHECK (
    char_length("owner") <= 320
    AND "owner" ~ '^(?:[A-Za-z0-9_''+\-]+\.)*[A-Za-z0-9_''+\-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9\-]*\.)+[A-Za-z]{2,}$'
);
ALTER TABLE "flags" ADD CONSTRAINT "flags_kb_article_check" CHECK (
    "kb_article" IS NULL OR (char_length("kb_article") <= 2000 AND "stagegate_is_http_url"("kb_article"))
);
ALTER TABLE "flags" ADD CONSTRAINT "flags_ttl_days_check" CHECK ("ttl_days" BETWEEN 1 AND 3650);
-- Two decimals as zod tests them, in the same float8 arithmetic; NaN compares above 100.
ALTER TABLE "flags" ADD CONSTRAINT "flags_rollout_percentage_check" CHECK (
    "rollout_percentage" BETWEEN 0 AND 100
    AND abs(round("rollout_percentage" * 100) - "rollout_percentage" * 100) < 1e-9
);
-- Outside years 1-9999 (and ±infinity) the driver reads an Invalid Date, which zod's z.coerce.date() refuses.
ALTER TABLE "flags" ADD CONSTRAINT "flags_ttl_start_check" CHECK ("ttl_start" BETWEEN '0001-01-01' AND '9999-12-31 23:59:59.999');
ALTER TABLE "flags" ADD CONSTRAINT "flags_killed_at_check" CHECK ("killed_at" IS NULL OR "killed_at" BETWEEN '0001-01-01' AND '9999-12-31 23:59:59.999');
ALTER TABLE "flags" ADD CONSTRAINT "flags_kill_reason_check" CHECK ("kill_reason" IS NULL OR char_length("kill_reason") BETWEEN 1 AND 1000);
ALTER TABLE "flags" ADD CONSTRAINT "flags_killed_by_check" CHECK ("killed_by" IS NULL OR char_length("killed_by") BETWEEN 1 AND 320);

ALTER TABLE "user_overrides" ADD CONSTRAINT "user_overrides_reason_check" CHECK (char_length("reason") <= 1000);
