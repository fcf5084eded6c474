/*
 * pyversion.c - the one instance of what the version layer (pyversion.h,
 * layouts/) learns about the running interpreter at import.
 */
#include "pyversion.h"

struct fpv_facts fpv_learned;
