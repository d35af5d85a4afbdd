// The words that may stand among declaration specifiers: the one keyword table of the parser. A word
// in it starts a type name (isTypeStart) and cannot be a declarator's name.

/** What a word among declaration specifiers is (declSpec). */
export enum SW {
  Attribute = 1, Declspec, Storage, Ignored, Const, Volatile, Restrict, Atomic, Alignas,
  Void, Bool, Char, Short, Int, Long, Signed, Unsigned, Float, Double, Complex, Int128, Float128, Float16,
  BFloat16, Float32, Float64, Decimal32, Decimal64, Decimal128, VaList, AutoType, Record, Enum, Typeof,
}
export const SPECIFIER_WORDS = new Map<string, SW>([
  ...(['__attribute__', '__attribute'] as const).map((w) => [w, SW.Attribute] as const),
  ['__declspec', SW.Declspec],
  ...(['typedef', 'extern', 'static', 'auto', 'register'] as const).map((w) => [w, SW.Storage] as const),
  ...(['inline', '__inline', '__inline__', '_Noreturn', '__thread', '_Thread_local', 'thread_local', '__extension__', 'constexpr', '__seg_fs',
    '__seg_gs', '__cdecl', '__stdcall', '__fastcall', '__forceinline', '__w64', '__ptr64', '__ptr32', '__unaligned'] as const).map((w) => [w, SW.Ignored] as const),
  ...(['const', '__const', '__const__'] as const).map((w) => [w, SW.Const] as const),
  ...(['volatile', '__volatile', '__volatile__'] as const).map((w) => [w, SW.Volatile] as const),
  ...(['restrict', '__restrict', '__restrict__'] as const).map((w) => [w, SW.Restrict] as const),
  ['_Atomic', SW.Atomic],
  ['_Alignas', SW.Alignas], ['alignas', SW.Alignas],
  ['void', SW.Void], ['_Bool', SW.Bool], ['bool', SW.Bool], ['char', SW.Char], ['short', SW.Short], ['int', SW.Int], ['long', SW.Long],
  ['signed', SW.Signed], ['__signed', SW.Signed], ['__signed__', SW.Signed], ['unsigned', SW.Unsigned], ['__unsigned', SW.Unsigned],
  ['float', SW.Float], ['double', SW.Double], ['_Complex', SW.Complex], ['__complex__', SW.Complex], ['__complex', SW.Complex],
  ['__int128', SW.Int128],
  ...(['_Float128', '__float128', '__ieee128', '__ibm128', '_Float64x', '_Float128x'] as const).map((w) => [w, SW.Float128] as const),
  ['_Float16', SW.Float16], ['__bf16', SW.BFloat16], ['_Float32', SW.Float32], ['_Float64', SW.Float64], ['_Float32x', SW.Float64],
  ['_Decimal32', SW.Decimal32], ['_Decimal64', SW.Decimal64], ['_Decimal128', SW.Decimal128],
  ['__builtin_va_list', SW.VaList], ['__auto_type', SW.AutoType], ['struct', SW.Record], ['union', SW.Record], ['enum', SW.Enum],
  ...(['typeof', '__typeof__', '__typeof', 'typeof_unqual', '__typeof_unqual__'] as const).map((w) => [w, SW.Typeof] as const),
]);

/** The parameters of a function whose list was skipped (shared by 15,000 file-scope functions). */
