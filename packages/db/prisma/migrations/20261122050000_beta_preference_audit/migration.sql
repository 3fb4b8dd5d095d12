-- The database writes the audit entry of every beta_preferences write, under the row lock with OLD/NEW
-- at hand: an opt-in is then one autocommitted statement, and each entry's `before` is exactly the
-- previous entry's `after`, also when two first opt-ins race (ON CONFLICT fires UPDATE with the winner as OLD).
-- The shape is what the API wrote itself before: actor = the user's email, `at` = the row's updated_at.
CREATE FUNCTION "stagegate_audit_beta_preference"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "audit_log" ("at", "actor", "action", "flag_key", "before", "after")
    VALUES (
        NEW."updated_at",
        (SELECT "email" FROM "users" WHERE "id" = NEW."user_id"),
        CASE WHEN NEW."enabled" THEN 'beta_feature.enabled' ELSE 'beta_feature.disabled' END,
        NEW."flag_key",
        CASE WHEN TG_OP = 'UPDATE'
            THEN jsonb_build_object('userId', OLD."user_id", 'workspaceId', OLD."workspace_id", 'enabled', OLD."enabled")
        END,
        jsonb_build_object('userId', NEW."user_id", 'workspaceId', NEW."workspace_id", 'enabled', NEW."enabled")
    );
    RETURN NULL;
END;
$$;

CREATE TRIGGER "beta_preferences_audit"
    AFTER INSERT OR UPDATE ON "beta_preferences"
    FOR EACH ROW EXECUTE FUNCTION "stagegate_audit_beta_preference"();
