-- A flag's version counts every change to its row, also one written by SQL outside Stagegate (which
-- would otherwise leave it as it was): an operator's expected version, and the kill's one-statement
-- path (which trusts that an unchanged version means an unchanged row), then never miss an edit.
CREATE FUNCTION "stagegate_flags_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW."version" = OLD."version" AND NEW IS DISTINCT FROM OLD THEN
        NEW."version" := OLD."version" + 1;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER "flags_version"
    BEFORE UPDATE ON "flags"
    FOR EACH ROW EXECUTE FUNCTION "stagegate_flags_version"();
