#define EMPTY_CHILDREN_FUNCTION empty_children_instrumented
#include "empty_children.inc"
