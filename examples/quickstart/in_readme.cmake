# Require README to contain each of FILES verbatim, so the program and
# output the README shows are the ones the tests build and run (cmake -P).
file(READ ${README} readme)
foreach(f IN LISTS FILES)
  file(READ ${f} text)
  string(FIND "${readme}" "${text}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${README} does not show ${f} verbatim")
  endif()
endforeach()
