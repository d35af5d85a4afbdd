// The version printed by --version and mixed into cache keys.
export const VERSION = '0.1.0';
