#include <stdio.h>
int main(void) { puts("failproof"); return 0; }
