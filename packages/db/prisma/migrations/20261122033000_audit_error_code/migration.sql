-- The audit log's refusal becomes a plain raised exception (P0001): with restrict_violation (23001)
-- Prisma's PostgreSQL adapter reported it as a foreign key violation and dropped the message.
CREATE OR REPLACE FUNCTION "stagegate_audit_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
        USING HINT = 'Record a correction as a new audit entry.';
END;
$$;
