/**
 * The longest project name accepted (characters), from the REST API and from spans alike: a name is
 * echoed in every project list and page title, so a megabyte-long one would weigh on all of them.
 */
export const PROJECT_NAME_MAX_LENGTH = 256;
