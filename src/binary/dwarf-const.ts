// DWARF's numbers by name: the tags, attributes and forms the reader uses (DWARF 5, section 7.5, and
// the GNU extensions gcc writes). Const enums: inlined at build, nothing at run time.

export const enum DW_TAG {
  array_type = 0x01, class_type = 0x02, enumeration_type = 0x04, formal_parameter = 0x05, imported_declaration = 0x08,
  label = 0x0a, lexical_block = 0x0b, member = 0x0d, pointer_type = 0x0f, reference_type = 0x10, compile_unit = 0x11,
  structure_type = 0x13, subroutine_type = 0x15, typedef = 0x16, union_type = 0x17, unspecified_parameters = 0x18,
  inlined_subroutine = 0x1d, subrange_type = 0x21, base_type = 0x24, const_type = 0x26, constant = 0x27,
  enumerator = 0x28, subprogram = 0x2e, variable = 0x34, volatile_type = 0x35, restrict_type = 0x37,
  imported_module = 0x3a, unspecified_type = 0x3b, type_unit = 0x41, atomic_type = 0x47, call_site = 0x48,
  call_site_parameter = 0x49, GNU_call_site = 0x4109, GNU_call_site_parameter = 0x410a,
}

export const enum DW_AT {
  name = 0x03, byte_size = 0x0b, bit_offset = 0x0c, bit_size = 0x0d, upper_bound = 0x2f, count = 0x37,
  data_member_location = 0x38, decl_file = 0x3a, decl_line = 0x3b, declaration = 0x3c, type = 0x49,
  data_bit_offset = 0x6b, str_offsets_base = 0x72, alignment = 0x88,
}

export const enum DW_FORM {
  addr = 0x01, block2 = 0x03, block4 = 0x04, data2 = 0x05, data4 = 0x06, data8 = 0x07, string = 0x08, block = 0x09,
  block1 = 0x0a, data1 = 0x0b, flag = 0x0c, sdata = 0x0d, strp = 0x0e, udata = 0x0f, ref_addr = 0x10, ref1 = 0x11,
  ref2 = 0x12, ref4 = 0x13, ref8 = 0x14, ref_udata = 0x15, indirect = 0x16, sec_offset = 0x17, exprloc = 0x18,
  flag_present = 0x19, strx = 0x1a, addrx = 0x1b, ref_sup4 = 0x1c, strp_sup = 0x1d, data16 = 0x1e, line_strp = 0x1f,
  ref_sig8 = 0x20, implicit_const = 0x21, loclistx = 0x22, rnglistx = 0x23, ref_sup8 = 0x24, strx1 = 0x25,
  strx2 = 0x26, strx3 = 0x27, strx4 = 0x28, addrx1 = 0x29, addrx2 = 0x2a, addrx3 = 0x2b, addrx4 = 0x2c,
  GNU_addr_index = 0x1f01, GNU_str_index = 0x1f02, GNU_ref_alt = 0x1f20, GNU_strp_alt = 0x1f21,
}

/** Unit types of a DWARF 5 unit header. */
export const enum DW_UT {
  type = 0x02, skeleton = 0x04, split_compile = 0x05, split_type = 0x06,
}

/** The location operations a member offset is written with. */
export const enum DW_OP {
  constu = 0x10, plus_uconst = 0x23,
}
