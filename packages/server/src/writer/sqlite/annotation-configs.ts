import { toConfigRecord } from '../../store/repositories/annotation-configs.js';
import type { SqliteConnection } from '../../store/sqlite/open.js';
import type { AnnotationConfigCommand, AnnotationConfigOutcome } from '../annotation-config-commands.js';

interface Row {
  id: number;
  name: string;
  config: string;
}

/** Annotation config writes on the SQLite writer thread; the caller runs each in a transaction. */
export class SqliteAnnotationConfigs {
  private readonly stmt;

  constructor(db: SqliteConnection) {
    this.stmt = {
      insert: db.prepare<[string, string], Row>(
        'INSERT INTO annotation_configs (name, config) VALUES (?, ?) ON CONFLICT (name) DO NOTHING RETURNING id, name, config',
      ),
      byId: db.prepare<[number], Row>('SELECT id, name, config FROM annotation_configs WHERE id = ?'),
      nameTakenByOther: db.prepare<[string, number], { id: number }>(
        'SELECT id FROM annotation_configs WHERE name = ? AND id <> ?',
      ),
      update: db.prepare<[string, string, number], Row>(
        'UPDATE annotation_configs SET name = ?, config = ? WHERE id = ? RETURNING id, name, config',
      ),
      delete: db.prepare<[number], Row>(
        'DELETE FROM annotation_configs WHERE id = ? RETURNING id, name, config',
      ),
      project: db.prepare<[number], { id: number }>('SELECT id FROM projects WHERE id = ?'),
      assign: db.prepare<[number, number]>(
        `INSERT INTO project_annotation_configs (project_id, annotation_config_id) VALUES (?, ?)
         ON CONFLICT (project_id, annotation_config_id) DO NOTHING`,
      ),
      unassign: db.prepare<[number, number]>(
        'DELETE FROM project_annotation_configs WHERE project_id = ? AND annotation_config_id = ?',
      ),
      unassignAllBut: db.prepare<[number, string]>(
        `DELETE FROM project_annotation_configs
         WHERE project_id = ? AND annotation_config_id NOT IN (SELECT value FROM json_each(?))`,
      ),
      byIds: db.prepare<[string], Row>(
        'SELECT id, name, config FROM annotation_configs WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id DESC',
      ),
    };
  }

  run(command: AnnotationConfigCommand): AnnotationConfigOutcome {
    const ok = (rows: (Row | undefined)[]): AnnotationConfigOutcome => ({
      status: 'ok',
      configs: rows.filter((r): r is Row => r !== undefined).map(toConfigRecord),
    });
    switch (command.op) {
      case 'create': {
        const row = this.stmt.insert.get(command.name, JSON.stringify(command.config));
        return row ? ok([row]) : { status: 'name-taken' };
      }
      case 'update': {
        if (!this.stmt.byId.get(command.id)) return { status: 'missing' };
        if (this.stmt.nameTakenByOther.get(command.name, command.id)) return { status: 'name-taken' };
        return ok([this.stmt.update.get(command.name, JSON.stringify(command.config), command.id)]);
      }
      case 'delete': {
        const row = this.stmt.delete.get(command.id);
        return row ? ok([row]) : { status: 'missing' };
      }
      case 'assign': {
        const config = this.stmt.byId.get(command.configId);
        if (!config || !this.stmt.project.get(command.projectId)) return { status: 'missing' };
        this.stmt.assign.run(command.projectId, command.configId);
        return ok([config]);
      }
      case 'unassign': {
        if (!this.stmt.byId.get(command.configId) || !this.stmt.project.get(command.projectId)) {
          return { status: 'missing' };
        }
        this.stmt.unassign.run(command.projectId, command.configId);
        return { status: 'ok', configs: [] };
      }
      case 'set': {
        if (!this.stmt.project.get(command.projectId)) return { status: 'missing' };
        const ids = [...new Set(command.configIds)];
        const configs = this.stmt.byIds.all(JSON.stringify(ids));
        if (configs.length !== ids.length) return { status: 'missing-configs' };
        this.stmt.unassignAllBut.run(command.projectId, JSON.stringify(ids));
        for (const id of ids) this.stmt.assign.run(command.projectId, id);
        return ok(configs);
      }
    }
  }
}
