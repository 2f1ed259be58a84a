import type { ModelPriceRecord } from '../../store/repositories/model-prices.js';
import type { SqliteConnection } from '../../store/sqlite/open.js';
import {
  MODEL_PRICE_COLUMNS,
  type ModelPriceCommand,
  type ModelPriceOutcome,
  modelPriceValues,
} from '../model-price-commands.js';

/** Model price writes on the SQLite writer thread; the caller runs each in a transaction. */
export class SqliteModelPrices {
  private readonly stmt;

  constructor(db: SqliteConnection) {
    this.stmt = {
      project: db.prepare<[number], { id: number }>('SELECT id FROM projects WHERE id = ?'),
      insert: db.prepare<unknown[], ModelPriceRecord>(
        `INSERT INTO model_prices (project_id, model_name_pattern, provider, prompt_cost_per_token,
           completion_cost_per_token, cache_read_cost_per_token, cache_write_cost_per_token,
           reasoning_cost_per_token, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${MODEL_PRICE_COLUMNS}`,
      ),
      delete: db.prepare<[number, number], ModelPriceRecord>(
        `DELETE FROM model_prices WHERE id = ? AND project_id = ? RETURNING ${MODEL_PRICE_COLUMNS}`,
      ),
    };
  }

  run(command: ModelPriceCommand): ModelPriceOutcome {
    if (!this.stmt.project.get(command.projectId)) return { status: 'missing' };
    const row =
      command.op === 'create'
        ? this.stmt.insert.get(...modelPriceValues(command))
        : this.stmt.delete.get(command.id, command.projectId);
    return row ? { status: 'ok', price: row } : { status: 'missing' };
  }
}
