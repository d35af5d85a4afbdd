// Answers for __has_attribute and __has_builtin as gcc 12 gives them (C mode). Attribute names are
// accepted with or without the __x__ underscores and with a gnu:: scope.

const ATTRIBUTES = new Set(
  (
    'access alias aligned alloc_align alloc_size always_inline artificial assume_aligned cleanup cold common const ' +
    'constructor copy deprecated designated_init destructor error externally_visible fallthrough flatten format ' +
    'format_arg gnu_inline hot ifunc interrupt leaf malloc may_alias mode no_icf no_instrument_function ' +
    'no_profile_instrument_function no_reorder no_sanitize no_sanitize_address no_sanitize_thread ' +
    'no_sanitize_undefined no_split_stack no_stack_limit no_stack_protector noclone nocommon noinit noinline noipa ' +
    'nonnull nonstring noplt noreturn nothrow optimize packed patchable_function_entry persistent pure ' +
    'retain returns_nonnull returns_twice scalar_storage_order section sentinel simd stack_protect ' +
    'symver target target_clones tls_model transparent_union unavailable unused used vector_size visibility ' +
    'warn_if_not_aligned warn_unused_result warning weak weakref zero_call_used_regs ms_abi sysv_abi ' +
    'ms_struct gcc_struct ms_hook_prologue naked regparm stdcall cdecl fastcall thiscall indirect_branch ' +
    'function_return nocf_check cf_check indirect_return fentry_name fentry_section force_align_arg_pointer ' +
    'no_caller_saved_registers sseregparm nodirect_extern_access strict_flex_array'
  ).split(/\s+/),
);

export function hasAttribute(name: string): number {
  let n = name.replace(/^(gnu|__gnu__)::/, '');
  if (n.startsWith('__') && n.endsWith('__') && n.length > 4) n = n.slice(2, -2);
  return ATTRIBUTES.has(n) ? 1 : 0;
}

const BUILTIN_PREFIXES = ['__builtin_', '__atomic_', '__sync_'];
const UNKNOWN_BUILTINS = new Set(['__builtin_dump_struct', '__builtin_is_constant_evaluated']);

export function hasBuiltin(name: string): boolean {
  if (UNKNOWN_BUILTINS.has(name)) return false;
  if (name === '__has_builtin' || name === '__is_target_arch') return false;
  return BUILTIN_PREFIXES.some((p) => name.startsWith(p));
}
