# SPAMPOT_FUZZ: every library is instrumented for libFuzzer's coverage (fuzzer-no-link) and built
# with ASan and UBSan; the fuzz targets in tests/fuzz link libFuzzer's main.
if(SPAMPOT_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "SPAMPOT_FUZZ needs clang (use the fuzz preset)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
