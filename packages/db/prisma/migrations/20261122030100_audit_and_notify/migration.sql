-- What schema.prisma cannot express: value checks, an append-only audit log, and change
-- notifications. Every writer (the API, the CLI's break-glass mode, psql) goes through these, so
-- every process's flag cache hears about every change.

-- Checks: the same bounds flags-core's zod schema enforces, so no writer can store what the resolver rejects.
ALTER TABLE "flags" ADD CONSTRAINT "flags_rollout_percentage_check" CHECK ("rollout_percentage" >= 0 AND "rollout_percentage" <= 100);
ALTER TABLE "flags" ADD CONSTRAINT "flags_ttl_days_check" CHECK ("ttl_days" > 0);
ALTER TABLE "flags" ADD CONSTRAINT "flags_version_check" CHECK ("version" > 0);
-- The kill switch is three columns that are set and cleared together.
ALTER TABLE "flags" ADD CONSTRAINT "flags_kill_switch_check" CHECK (
    ("kill_reason" IS NULL) = ("killed_at" IS NULL) AND ("killed_at" IS NULL) = ("killed_by" IS NULL)
);

-- Append-only audit log: corrections are new entries, never edits.
CREATE FUNCTION "stagegate_audit_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'restrict_violation', HINT = 'Record a correction as a new audit entry.';
END;
$$;

CREATE TRIGGER "audit_log_no_update_or_delete"
    BEFORE UPDATE OR DELETE ON "audit_log"
    FOR EACH ROW EXECUTE FUNCTION "stagegate_audit_log_append_only"();

CREATE TRIGGER "audit_log_no_truncate"
    BEFORE TRUNCATE ON "audit_log"
    FOR EACH STATEMENT EXECUTE FUNCTION "stagegate_audit_log_append_only"();

-- Change notifications on channel stagegate_changes; each payload is a flags-core FlagChange.
-- PostgreSQL delivers them at commit and folds identical payloads of one transaction into one.
CREATE FUNCTION "stagegate_notify_flags"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('stagegate_changes', json_build_object('kind', 'flags')::text);
    RETURN NULL;
END;
$$;

CREATE FUNCTION "stagegate_notify_beta_preference"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM pg_notify('stagegate_changes', json_build_object('kind', 'user', 'userId', OLD."user_id", 'workspaceId', OLD."workspace_id")::text);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM pg_notify('stagegate_changes', json_build_object('kind', 'user', 'userId', NEW."user_id", 'workspaceId', NEW."workspace_id")::text);
    END IF;
    RETURN NULL;
END;
$$;

-- Overrides apply to the user in every workspace, so the change names no workspace.
CREATE FUNCTION "stagegate_notify_user_override"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM pg_notify('stagegate_changes', json_build_object('kind', 'user', 'userId', OLD."user_id")::text);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM pg_notify('stagegate_changes', json_build_object('kind', 'user', 'userId', NEW."user_id")::text);
    END IF;
    RETURN NULL;
END;
$$;

-- TRUNCATE names no rows: every cached user state may be stale.
CREATE FUNCTION "stagegate_notify_reset"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('stagegate_changes', json_build_object('kind', 'reset')::text);
    RETURN NULL;
END;
$$;

CREATE TRIGGER "flags_notify"
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "flags"
    FOR EACH STATEMENT EXECUTE FUNCTION "stagegate_notify_flags"();

CREATE TRIGGER "beta_preferences_notify"
    AFTER INSERT OR UPDATE OR DELETE ON "beta_preferences"
    FOR EACH ROW EXECUTE FUNCTION "stagegate_notify_beta_preference"();

CREATE TRIGGER "beta_preferences_notify_truncate"
    AFTER TRUNCATE ON "beta_preferences"
    FOR EACH STATEMENT EXECUTE FUNCTION "stagegate_notify_reset"();

CREATE TRIGGER "user_overrides_notify"
    AFTER INSERT OR UPDATE OR DELETE ON "user_overrides"
    FOR EACH ROW EXECUTE FUNCTION "stagegate_notify_user_override"();

CREATE TRIGGER "user_overrides_notify_truncate"
    AFTER TRUNCATE ON "user_overrides"
    FOR EACH STATEMENT EXECUTE FUNCTION "stagegate_notify_reset"();
