/** launchApp was given something it cannot launch with (the message says what, and what to give). */
export class LaunchError extends Error {}
