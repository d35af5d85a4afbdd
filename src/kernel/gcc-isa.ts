// What gcc 12's -march/-mcpu/-mfpu/-m<isa> values do to its predefined macros, per architecture: each
// entry is the difference of `<cc> FLAG -dM -E` from the plain `<cc> -dM -E` (NAME defines NAME 1, NAME=V
// defines it as V, -NAME undefines it; words separated by blanks or newlines). Generated from the Debian
// gcc-12 cross compilers.

export const ISA_MACROS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  x86_64: {
    '-march=x86-64-v2':
      '__CRC32__ __GCC_HAVE_SYNC_COMPARE_AND_SWAP_16 __LAHF_SAHF__ __POPCNT__ __SSE3__ __SSE4_1__ __SSE4_2__ __SSSE3__',
    '-march=x86-64-v3': `
      -__BIGGEST_ALIGNMENT__ __AVX2__ __AVX__ __BIGGEST_ALIGNMENT__=32 __BMI2__ __BMI__ __CRC32__ __F16C__ __FMA__
      __FP_FAST_FMA __FP_FAST_FMAF __FP_FAST_FMAF32 __FP_FAST_FMAF32x __FP_FAST_FMAF64
      __GCC_HAVE_SYNC_COMPARE_AND_SWAP_16 __LAHF_SAHF__ __LZCNT__ __MOVBE__ __POPCNT__ __SSE3__ __SSE4_1__ __SSE4_2__
      __SSSE3__ __XSAVE__`,
    '-march=x86-64-v4': `
      -__BIGGEST_ALIGNMENT__ __AVX2__ __AVX512BW__ __AVX512CD__ __AVX512DQ__ __AVX512F__ __AVX512VL__ __AVX__
      __BIGGEST_ALIGNMENT__=64 __BMI2__ __BMI__ __CRC32__ __F16C__ __FMA__ __FP_FAST_FMA __FP_FAST_FMAF
      __FP_FAST_FMAF32 __FP_FAST_FMAF32x __FP_FAST_FMAF64 __GCC_HAVE_SYNC_COMPARE_AND_SWAP_16 __LAHF_SAHF__ __LZCNT__
      __MOVBE__ __POPCNT__ __SSE3__ __SSE4_1__ __SSE4_2__ __SSSE3__ __XSAVE__`,
    '-march=core2': `
      -__k8 -__k8__ __GCC_HAVE_SYNC_COMPARE_AND_SWAP_16 __LAHF_SAHF__ __SSE3__ __SSSE3__ __core2 __core2__
      __tune_core2__`,
    '-march=nehalem': `
      -__k8 -__k8__ __CRC32__ __GCC_HAVE_SYNC_COMPARE_AND_SWAP_16 __LAHF_SAHF__ __POPCNT__ __SSE3__ __SSE4_1__
      __SSE4_2__ __SSSE3__ __corei7 __corei7__ __nehalem __nehalem__ __tune_corei7__ __tune_nehalem__`,
    '-march=westmere': `
      -__k8 -__k8__ __CRC32__ __GCC_HAVE_SYNC_COMPARE_AND_SWAP_16 __LAHF_SAHF__ __PCLMUL__ __POPCNT__ __SSE3__
      __SSE4_1__ __SSE4_2__ __SSSE3__ __corei7 __corei7__ __nehalem __nehalem__ __tune_corei7__ __tune_nehalem__`,
    '-march=sandybridge': `
      -__BIGGEST_ALIGNMENT__ -__k8 -__k8__ __AVX__ __BIGGEST_ALIGNMENT__=32 __CRC32__
      __GCC_HAVE_SYNC_COMPARE_AND_SWAP_16 __LAHF_SAHF__ __PCLMUL__ __POPCNT__ __SSE3__ __SSE4_1__ __SSE4_2__ __SSSE3__
      __XSAVEOPT__ __XSAVE__ __corei7_avx __corei7_avx__ __sandybridge __sandybridge__ __tune_corei7_avx__
      __tune_sandybridge__`,
    '-march=ivybridge': `
      -__BIGGEST_ALIGNMENT__ -__k8 -__k8__ __AVX__ __BIGGEST_ALIGNMENT__=32 __CRC32__ __F16C__ __FSGSBASE__
      __GCC_HAVE_SYNC_COMPARE_AND_SWAP_16 __LAHF_SAHF__ __PCLMUL__ __POPCNT__ __RDRND__ __SSE3__ __SSE4_1__ __SSE4_2__
      __SSSE3__ __XSAVEOPT__ __XSAVE__ __corei7_avx __corei7_avx__ __sandybridge __sandybridge__ __tune_corei7_avx__
      __tune_sandybridge__`,
    '-march=haswell': `
      -__BIGGEST_ALIGNMENT__ -__k8 -__k8__ __AVX2__ __AVX__ __BIGGEST_ALIGNMENT__=32 __BMI2__ __BMI__ __CRC32__
      __F16C__ __FMA__ __FP_FAST_FMA __FP_FAST_FMAF __FP_FAST_FMAF32 __FP_FAST_FMAF32x __FP_FAST_FMAF64 __FSGSBASE__
      __GCC_HAVE_SYNC_COMPARE_AND_SWAP_16 __LAHF_SAHF__ __LZCNT__ __MOVBE__ __PCLMUL__ __POPCNT__ __RDRND__ __SSE3__
      __SSE4_1__ __SSE4_2__ __SSSE3__ __XSAVEOPT__ __XSAVE__ __core_avx2 __core_avx2__ __haswell __haswell__
      __tune_core_avx2__ __tune_haswell__`,
    '-march=broadwell': `
      -__BIGGEST_ALIGNMENT__ -__k8 -__k8__ __ADX__ __AVX2__ __AVX__ __BIGGEST_ALIGNMENT__=32 __BMI2__ __BMI__
      __CRC32__ __F16C__ __FMA__ __FP_FAST_FMA __FP_FAST_FMAF __FP_FAST_FMAF32 __FP_FAST_FMAF32x __FP_FAST_FMAF64
      __FSGSBASE__ __GCC_HAVE_SYNC_COMPARE_AND_SWAP_16 __LAHF_SAHF__ __LZCNT__ __MOVBE__ __PCLMUL__ __POPCNT__
      __PRFCHW__ __RDRND__ __RDSEED__ __SSE3__ __SSE4_1__ __SSE4_2__ __SSSE3__ __XSAVEOPT__ __XSAVE__ __core_avx2
      __core_avx2__ __haswell __haswell__ __tune_core_avx2__ __tune_haswell__`,
    '-march=skylake': `
      -__BIGGEST_ALIGNMENT__ -__k8 -__k8__ __ADX__ __AES__ __AVX2__ __AVX__ __BIGGEST_ALIGNMENT__=32 __BMI2__ __BMI__
      __CLFLUSHOPT__ __CRC32__ __F16C__ __FMA__ __FP_FAST_FMA __FP_FAST_FMAF __FP_FAST_FMAF32 __FP_FAST_FMAF32x
      __FP_FAST_FMAF64 __FSGSBASE__ __GCC_HAVE_SYNC_COMPARE_AND_SWAP_16 __LAHF_SAHF__ __LZCNT__ __MOVBE__ __PCLMUL__
      __POPCNT__ __PRFCHW__ __RDRND__ __RDSEED__ __SGX__ __SSE3__ __SSE4_1__ __SSE4_2__ __SSSE3__ __XSAVEC__
      __XSAVEOPT__ __XSAVES__ __XSAVE__ __skylake __skylake__ __tune_skylake__`,
    '-march=skylake-avx512': `
      -__BIGGEST_ALIGNMENT__ -__k8 -__k8__ __ADX__ __AES__ __AVX2__ __AVX512BW__ __AVX512CD__ __AVX512DQ__ __AVX512F__
      __AVX512VL__ __AVX__ __BIGGEST_ALIGNMENT__=64 __BMI2__ __BMI__ __CLFLUSHOPT__ __CLWB__ __CRC32__ __F16C__
      __FMA__ __FP_FAST_FMA __FP_FAST_FMAF __FP_FAST_FMAF32 __FP_FAST_FMAF32x __FP_FAST_FMAF64 __FSGSBASE__
      __GCC_HAVE_SYNC_COMPARE_AND_SWAP_16 __LAHF_SAHF__ __LZCNT__ __MOVBE__ __PCLMUL__ __PKU__ __POPCNT__ __PRFCHW__
      __RDRND__ __RDSEED__ __SGX__ __SSE3__ __SSE4_1__ __SSE4_2__ __SSSE3__ __XSAVEC__ __XSAVEOPT__ __XSAVES__
      __XSAVE__ __skylake_avx512 __skylake_avx512__ __tune_skylake_avx512__`,
    '-march=icelake-server': `
      -__BIGGEST_ALIGNMENT__ -__k8 -__k8__ __ADX__ __AES__ __AVX2__ __AVX512BITALG__ __AVX512BW__ __AVX512CD__
      __AVX512DQ__ __AVX512F__ __AVX512IFMA__ __AVX512VBMI2__ __AVX512VBMI__ __AVX512VL__ __AVX512VNNI__
      __AVX512VPOPCNTDQ__ __AVX__ __BIGGEST_ALIGNMENT__=64 __BMI2__ __BMI__ __CLFLUSHOPT__ __CLWB__ __CRC32__ __F16C__
      __FMA__ __FP_FAST_FMA __FP_FAST_FMAF __FP_FAST_FMAF32 __FP_FAST_FMAF32x __FP_FAST_FMAF64 __FSGSBASE__
      __GCC_HAVE_SYNC_COMPARE_AND_SWAP_16 __GFNI__ __LAHF_SAHF__ __LZCNT__ __MOVBE__ __PCLMUL__ __PCONFIG__ __PKU__
      __POPCNT__ __PRFCHW__ __RDPID__ __RDRND__ __RDSEED__ __SGX__ __SHA__ __SSE3__ __SSE4_1__ __SSE4_2__ __SSSE3__
      __VAES__ __VPCLMULQDQ__ __WBNOINVD__ __XSAVEC__ __XSAVEOPT__ __XSAVES__ __XSAVE__ __icelake_server
      __icelake_server__ __tune_icelake_server__`,
    '-march=alderlake': `
      -__BIGGEST_ALIGNMENT__ -__k8 -__k8__ __ADX__ __AES__ __AVX2__ __AVXVNNI__ __AVX__ __BIGGEST_ALIGNMENT__=32
      __BMI2__ __BMI__ __CLDEMOTE__ __CLFLUSHOPT__ __CLWB__ __CRC32__ __F16C__ __FMA__ __FP_FAST_FMA __FP_FAST_FMAF
      __FP_FAST_FMAF32 __FP_FAST_FMAF32x __FP_FAST_FMAF64 __FSGSBASE__ __GCC_HAVE_SYNC_COMPARE_AND_SWAP_16 __GFNI__
      __HRESET__ __KL__ __LAHF_SAHF__ __LZCNT__ __MOVBE__ __MOVDIR64B__ __MOVDIRI__ __PCLMUL__ __PCONFIG__ __PKU__
      __POPCNT__ __PRFCHW__ __PTWRITE__ __RDPID__ __RDRND__ __RDSEED__ __SERIALIZE__ __SGX__ __SHA__ __SSE3__
      __SSE4_1__ __SSE4_2__ __SSSE3__ __VAES__ __VPCLMULQDQ__ __WAITPKG__ __WIDEKL__ __XSAVEC__ __XSAVEOPT__
      __XSAVES__ __XSAVE__ __alderlake __alderlake__ __tune_alderlake__`,
    '-march=znver1': `
      -__BIGGEST_ALIGNMENT__ -__k8 -__k8__ __ABM__ __ADX__ __AES__ __AVX2__ __AVX__ __BIGGEST_ALIGNMENT__=32 __BMI2__
      __BMI__ __CLFLUSHOPT__ __CLZERO__ __CRC32__ __F16C__ __FMA__ __FP_FAST_FMA __FP_FAST_FMAF __FP_FAST_FMAF32
      __FP_FAST_FMAF32x __FP_FAST_FMAF64 __FSGSBASE__ __GCC_HAVE_SYNC_COMPARE_AND_SWAP_16 __LAHF_SAHF__ __LZCNT__
      __MOVBE__ __MWAITX__ __PCLMUL__ __POPCNT__ __PRFCHW__ __RDRND__ __RDSEED__ __SHA__ __SSE3__ __SSE4A__ __SSE4_1__
      __SSE4_2__ __SSSE3__ __XSAVEC__ __XSAVEOPT__ __XSAVES__ __XSAVE__ __tune_znver1__ __znver1 __znver1__`,
    '-march=znver2': `
      -__BIGGEST_ALIGNMENT__ -__k8 -__k8__ __ABM__ __ADX__ __AES__ __AVX2__ __AVX__ __BIGGEST_ALIGNMENT__=32 __BMI2__
      __BMI__ __CLFLUSHOPT__ __CLWB__ __CLZERO__ __CRC32__ __F16C__ __FMA__ __FP_FAST_FMA __FP_FAST_FMAF
      __FP_FAST_FMAF32 __FP_FAST_FMAF32x __FP_FAST_FMAF64 __FSGSBASE__ __GCC_HAVE_SYNC_COMPARE_AND_SWAP_16
      __LAHF_SAHF__ __LZCNT__ __MOVBE__ __MWAITX__ __PCLMUL__ __POPCNT__ __PRFCHW__ __RDPID__ __RDRND__ __RDSEED__
      __SHA__ __SSE3__ __SSE4A__ __SSE4_1__ __SSE4_2__ __SSSE3__ __WBNOINVD__ __XSAVEC__ __XSAVEOPT__ __XSAVES__
      __XSAVE__ __tune_znver2__ __znver2 __znver2__`,
    '-march=znver3': `
      -__BIGGEST_ALIGNMENT__ -__k8 -__k8__ __ABM__ __ADX__ __AES__ __AVX2__ __AVX__ __BIGGEST_ALIGNMENT__=32 __BMI2__
      __BMI__ __CLFLUSHOPT__ __CLWB__ __CLZERO__ __CRC32__ __F16C__ __FMA__ __FP_FAST_FMA __FP_FAST_FMAF
      __FP_FAST_FMAF32 __FP_FAST_FMAF32x __FP_FAST_FMAF64 __FSGSBASE__ __GCC_HAVE_SYNC_COMPARE_AND_SWAP_16
      __LAHF_SAHF__ __LZCNT__ __MOVBE__ __MWAITX__ __PCLMUL__ __PKU__ __POPCNT__ __PRFCHW__ __RDPID__ __RDRND__
      __RDSEED__ __SHA__ __SSE3__ __SSE4A__ __SSE4_1__ __SSE4_2__ __SSSE3__ __VAES__ __VPCLMULQDQ__ __WBNOINVD__
      __XSAVEC__ __XSAVEOPT__ __XSAVES__ __XSAVE__ __tune_znver3__ __znver3 __znver3__`,
    '-mavx': `
      -__BIGGEST_ALIGNMENT__ __AVX__ __BIGGEST_ALIGNMENT__=32 __CRC32__ __POPCNT__ __SSE3__ __SSE4_1__ __SSE4_2__
      __SSSE3__ __XSAVE__`,
    '-mavx2': `
      -__BIGGEST_ALIGNMENT__ __AVX2__ __AVX__ __BIGGEST_ALIGNMENT__=32 __CRC32__ __POPCNT__ __SSE3__ __SSE4_1__
      __SSE4_2__ __SSSE3__ __XSAVE__`,
    '-mavx512f': `
      -__BIGGEST_ALIGNMENT__ __AVX2__ __AVX512F__ __AVX__ __BIGGEST_ALIGNMENT__=64 __CRC32__ __FP_FAST_FMA
      __FP_FAST_FMAF __FP_FAST_FMAF32 __FP_FAST_FMAF32x __FP_FAST_FMAF64 __POPCNT__ __SSE3__ __SSE4_1__ __SSE4_2__
      __SSSE3__ __XSAVE__`,
    '-msse4.2': '__CRC32__ __POPCNT__ __SSE3__ __SSE4_1__ __SSE4_2__ __SSSE3__',
    '-maes': '__AES__',
    '-mpclmul': '__PCLMUL__',
  },
  aarch64: {
    '-march=armv8.1-a': '__ARM_FEATURE_ATOMICS __ARM_FEATURE_CRC32 __ARM_FEATURE_QRDMX',
    '-march=armv8.2-a': '__ARM_FEATURE_ATOMICS __ARM_FEATURE_CRC32 __ARM_FEATURE_QRDMX',
    '-march=armv8.4-a': `
      __ARM_FEATURE_ATOMICS __ARM_FEATURE_COMPLEX __ARM_FEATURE_CRC32 __ARM_FEATURE_DOTPROD __ARM_FEATURE_JCVT
      __ARM_FEATURE_QRDMX`,
    '-march=armv8.5-a': `
      __ARM_FEATURE_ATOMICS __ARM_FEATURE_COMPLEX __ARM_FEATURE_CRC32 __ARM_FEATURE_DOTPROD __ARM_FEATURE_FRINT
      __ARM_FEATURE_JCVT __ARM_FEATURE_QRDMX`,
    '-march=armv9-a': `
      -__ARM_ARCH -__FLT_EVAL_METHOD_C99__ -__FLT_EVAL_METHOD_TS_18661_3__ -__FLT_EVAL_METHOD__ __ARM_ARCH=9
      __ARM_FEATURE_ATOMICS __ARM_FEATURE_COMPLEX __ARM_FEATURE_CRC32 __ARM_FEATURE_DOTPROD __ARM_FEATURE_FP16_FML
      __ARM_FEATURE_FP16_SCALAR_ARITHMETIC __ARM_FEATURE_FP16_VECTOR_ARITHMETIC __ARM_FEATURE_FRINT __ARM_FEATURE_JCVT
      __ARM_FEATURE_QRDMX __ARM_FEATURE_SVE __ARM_FEATURE_SVE2 __ARM_FEATURE_SVE_BITS=0
      __ARM_FEATURE_SVE_VECTOR_OPERATORS __FLT_EVAL_METHOD_C99__=16 __FLT_EVAL_METHOD_TS_18661_3__=16
      __FLT_EVAL_METHOD__=16`,
    '-march=armv8-a+crypto': '__ARM_FEATURE_AES __ARM_FEATURE_CRYPTO __ARM_FEATURE_SHA2',
    '-march=armv8.2-a+crypto': `
      __ARM_FEATURE_AES __ARM_FEATURE_ATOMICS __ARM_FEATURE_CRC32 __ARM_FEATURE_CRYPTO __ARM_FEATURE_QRDMX
      __ARM_FEATURE_SHA2`,
    '-march=armv8-a+sve': `
      -__FLT_EVAL_METHOD_C99__ -__FLT_EVAL_METHOD_TS_18661_3__ -__FLT_EVAL_METHOD__
      __ARM_FEATURE_FP16_SCALAR_ARITHMETIC __ARM_FEATURE_FP16_VECTOR_ARITHMETIC __ARM_FEATURE_SVE
      __ARM_FEATURE_SVE_BITS=0 __ARM_FEATURE_SVE_VECTOR_OPERATORS __FLT_EVAL_METHOD_C99__=16
      __FLT_EVAL_METHOD_TS_18661_3__=16 __FLT_EVAL_METHOD__=16`,
    '-mcpu=cortex-a53': '__ARM_FEATURE_CRC32',
    '-mcpu=cortex-a72': '__ARM_FEATURE_CRC32',
    '-mcpu=neoverse-n1': `
      -__FLT_EVAL_METHOD_C99__ -__FLT_EVAL_METHOD_TS_18661_3__ -__FLT_EVAL_METHOD__ __ARM_FEATURE_ATOMICS
      __ARM_FEATURE_CRC32 __ARM_FEATURE_DOTPROD __ARM_FEATURE_FP16_SCALAR_ARITHMETIC
      __ARM_FEATURE_FP16_VECTOR_ARITHMETIC __ARM_FEATURE_QRDMX __FLT_EVAL_METHOD_C99__=16
      __FLT_EVAL_METHOD_TS_18661_3__=16 __FLT_EVAL_METHOD__=16`,
    '-mcpu=neoverse-v1': `
      -__FLT_EVAL_METHOD_C99__ -__FLT_EVAL_METHOD_TS_18661_3__ -__FLT_EVAL_METHOD__ __ARM_FEATURE_ATOMICS
      __ARM_FEATURE_BF16_SCALAR_ARITHMETIC __ARM_FEATURE_BF16_VECTOR_ARITHMETIC __ARM_FEATURE_COMPLEX
      __ARM_FEATURE_CRC32 __ARM_FEATURE_DOTPROD __ARM_FEATURE_FP16_FML __ARM_FEATURE_FP16_SCALAR_ARITHMETIC
      __ARM_FEATURE_FP16_VECTOR_ARITHMETIC __ARM_FEATURE_JCVT __ARM_FEATURE_MATMUL_INT8 __ARM_FEATURE_QRDMX
      __ARM_FEATURE_RNG __ARM_FEATURE_SVE __ARM_FEATURE_SVE_BITS=0 __ARM_FEATURE_SVE_MATMUL_INT8
      __ARM_FEATURE_SVE_VECTOR_OPERATORS __FLT_EVAL_METHOD_C99__=16 __FLT_EVAL_METHOD_TS_18661_3__=16
      __FLT_EVAL_METHOD__=16`,
  },
  arm: {
    '-march=armv7-a+neon': '__ARM_NEON __ARM_NEON_FP=4 __ARM_NEON__',
    '-mfpu=neon': '__ARM_NEON __ARM_NEON_FP=4 __ARM_NEON__',
    '-mfpu=neon-vfpv4': `
      -__ARM_FP __ARM_FEATURE_FMA __ARM_FP=14 __ARM_NEON __ARM_NEON_FP=6 __ARM_NEON__ __FP_FAST_FMA __FP_FAST_FMAF
      __FP_FAST_FMAF32 __FP_FAST_FMAF32x __FP_FAST_FMAF64 __FP_FAST_FMAL`,
    '-mcpu=cortex-a7': `
      -__ARM_FP __ARM_ARCH_EXT_IDIV__ __ARM_FEATURE_FMA __ARM_FEATURE_IDIV __ARM_FP=14 __ARM_NEON __ARM_NEON_FP=6
      __ARM_NEON__ __FP_FAST_FMA __FP_FAST_FMAF __FP_FAST_FMAF32 __FP_FAST_FMAF32x __FP_FAST_FMAF64 __FP_FAST_FMAL`,
    '-mcpu=cortex-a53': `
      -__ARM_ARCH -__ARM_ARCH_7A__ -__ARM_FEATURE_COPROC -__ARM_FP __ARM_ARCH=8 __ARM_ARCH_8A__ __ARM_ARCH_EXT_IDIV__
      __ARM_FEATURE_CRC32 __ARM_FEATURE_FMA __ARM_FEATURE_IDIV __ARM_FEATURE_NUMERIC_MAXMIN __ARM_FP=14 __ARM_NEON
      __ARM_NEON_FP=6 __ARM_NEON__ __FP_FAST_FMA __FP_FAST_FMAF __FP_FAST_FMAF32 __FP_FAST_FMAF32x __FP_FAST_FMAF64
      __FP_FAST_FMAL`,
    '-marm': '-__ARM_ASM_SYNTAX_UNIFIED__ -__THUMBEL__ -__thumb2__ -__thumb__',
  },
};
