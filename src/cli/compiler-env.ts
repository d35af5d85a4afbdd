// The environment that changes what the compiler reports (which cc runs, its include variables, the
// language of its `cc -E -v` report): part of every cache key that depends on the compiler.
export const COMPILER_ENV = [
  'PATH',
  'C_INCLUDE_PATH',
  'CPATH',
  'GCC_EXEC_PREFIX',
  'COMPILER_PATH',
  'LANG',
  'LC_ALL',
  'LC_MESSAGES',
  'LANGUAGE',
] as const;
