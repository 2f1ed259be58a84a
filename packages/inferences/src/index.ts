/** @fawkes/inferences: inference sets and the metric engine (see README.md). */
export {};
