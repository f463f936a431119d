/* Branch-heavy benchmark: N-queens by backtracking plus Collatz chain lengths. */
#include <stdio.h>
#include <stdlib.h>

static int solve(int n, int row, unsigned cols, unsigned d1, unsigned d2) {
  if (row == n) return 1;
  int count = 0;
  for (int c = 0; c < n; c++) {
    unsigned a = 1u << c, b = 1u << (row + c), e = 1u << (row - c + n);
    if ((cols & a) || (d1 & b) || (d2 & e)) continue;
    count += solve(n, row + 1, cols | a, d1 | b, d2 | e);
  }
  return count;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 9;
  long limit = argc > 2 ? atol(argv[2]) : 300000;
  long best = 0, arg = 0;
  for (long i = 1; i < limit; i++) {
    long x = i, len = 0;
    while (x != 1) { x = (x & 1) ? 3 * x + 1 : x / 2; len++; }
    if (len > best) { best = len; arg = i; }
  }
  printf("queens(%d)=%d collatz(<%ld)=%ld@%ld\n", n, solve(n, 0, 0, 0, 0), limit, best, arg);
  return 0;
}
