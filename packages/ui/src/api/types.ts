// The UI endpoints' shapes, shared with the server (types only: nothing of the server is bundled).
export type * from 'fawkes/ui-wire';
