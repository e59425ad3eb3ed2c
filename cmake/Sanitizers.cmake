# SPAMPOT_SANITIZE="address,undefined" builds everything with those sanitizers; a UB report aborts
# the test that caused it instead of scrolling past.
if(SPAMPOT_SANITIZE)
  add_compile_options(-fsanitize=${SPAMPOT_SANITIZE} -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${SPAMPOT_SANITIZE})
endif()
