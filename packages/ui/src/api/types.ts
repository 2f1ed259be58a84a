// The UI endpoints' shapes, shared with the server: types, and the tables' sort columns (plain
// constants; nothing else of the server is bundled).
export type * from 'fawkes/ui-wire';
export { UI_SESSION_SORTS, UI_SPAN_SORTS } from 'fawkes/ui-wire';
