#define EMPTY_CHILDREN_FUNCTION empty_children_plain
#include "empty_children.inc"
