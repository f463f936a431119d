/* Integer benchmark: sort an array with quicksort, then hash it (FNV-1a). */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>

static uint64_t state = 88172645463325252ull;
static uint64_t next(void) { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return state; }

static void quicksort(uint32_t *a, long lo, long hi) {
  while (lo < hi) {
    uint32_t p = a[(lo + hi) / 2];
    long i = lo, j = hi;
    while (i <= j) {
      while (a[i] < p) i++;
      while (a[j] > p) j--;
      if (i <= j) { uint32_t t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
    }
    if (j - lo < hi - i) { quicksort(a, lo, j); lo = i; } else { quicksort(a, i, hi); hi = j; }
  }
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 200000;
  int rounds = argc > 2 ? atoi(argv[2]) : 3;
  uint32_t *a = malloc(n * sizeof *a);
  uint64_t h = 1469598103934665603ull;
  for (int r = 0; r < rounds; r++) {
    for (long i = 0; i < n; i++) a[i] = (uint32_t)next();
    quicksort(a, 0, n - 1);
    for (long i = 0; i < n; i++) { h ^= a[i]; h *= 1099511628211ull; }
  }
  printf("%016llx\n", (unsigned long long)h);
  return 0;
}
