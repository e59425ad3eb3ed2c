# One place for warning flags, applied to every target of the project.
add_compile_options(-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
                    -Wcast-align -Wunused -Woverloaded-virtual)
if(SPAMPOT_WERROR)
  add_compile_options(-Werror)
endif()
