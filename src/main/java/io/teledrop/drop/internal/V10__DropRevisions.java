package io.teledrop.drop.internal;

import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Schema version 10: every drop carries a {@code revision} that the database itself raises on every change of
 * the drop's row or of any of its files, whoever writes it (this server, another one, a bulk update, the
 * sweeper). {@link DropSnapshots} keeps drops read by slug and compares this one number before serving one
 * again, so a change is seen at once on every server.
 * <p>
 * The only migration in Java: triggers are the one thing SQLite and PostgreSQL spell differently.
 */
public class V10__DropRevisions extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        boolean postgresql = context.getConnection().getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres");
        try (Statement sql = context.getConnection().createStatement()) {
            sql.execute("ALTER TABLE drops ADD COLUMN revision BIGINT NOT NULL DEFAULT 0");
            if (postgresql) {
                sql.execute("""
                        CREATE FUNCTION teledrop_drop_revised() RETURNS trigger LANGUAGE plpgsql AS $$
                        BEGIN NEW.revision := OLD.revision + 1; RETURN NEW; END $$""");
                sql.execute("CREATE TRIGGER drops_revision BEFORE UPDATE ON drops FOR EACH ROW EXECUTE FUNCTION teledrop_drop_revised()");
                sql.execute("""
                        CREATE FUNCTION teledrop_file_revised() RETURNS trigger LANGUAGE plpgsql AS $$
                        BEGIN
                            IF TG_OP <> 'DELETE' THEN UPDATE drops SET revision = revision + 1 WHERE id = NEW.drop_id; END IF;
                            IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.drop_id <> NEW.drop_id) THEN
                                UPDATE drops SET revision = revision + 1 WHERE id = OLD.drop_id;
                            END IF;
                            RETURN NULL;
                        END $$""");
                sql.execute("CREATE TRIGGER stored_files_revision AFTER INSERT OR UPDATE OR DELETE ON stored_files FOR EACH ROW EXECUTE FUNCTION teledrop_file_revised()");
            } else {
                // A trigger does not fire itself again on SQLite (recursive_triggers is off). The WHEN lets the file
                // triggers' own raise count once, and turns any other write of the revision into a raise.
                sql.execute("""
                        CREATE TRIGGER drops_revision AFTER UPDATE ON drops FOR EACH ROW WHEN NEW.revision <= OLD.revision
                        BEGIN UPDATE drops SET revision = OLD.revision + 1 WHERE id = NEW.id; END""");
                sql.execute("""
                        CREATE TRIGGER stored_files_inserted AFTER INSERT ON stored_files FOR EACH ROW
                        BEGIN UPDATE drops SET revision = revision + 1 WHERE id = NEW.drop_id; END""");
                sql.execute("""
                        CREATE TRIGGER stored_files_updated AFTER UPDATE ON stored_files FOR EACH ROW
                        BEGIN UPDATE drops SET revision = revision + 1 WHERE id IN (OLD.drop_id, NEW.drop_id); END""");
                sql.execute("""
                        CREATE TRIGGER stored_files_deleted AFTER DELETE ON stored_files FOR EACH ROW
                        BEGIN UPDATE drops SET revision = revision + 1 WHERE id = OLD.drop_id; END""");
            }
        }
    }
}
