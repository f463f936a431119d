/* Memory-bound benchmark: pointer chasing through a shuffled linked list, then a blocked matrix transpose. */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 1 << 18;
  int laps = argc > 2 ? atoi(argv[2]) : 4;
  long *next = malloc(n * sizeof *next);
  long *perm = malloc(n * sizeof *perm);
  uint64_t s = 0x9e3779b97f4a7c15ull;
  for (long i = 0; i < n; i++) perm[i] = i;
  for (long i = n - 1; i > 0; i--) {
    s ^= s << 13; s ^= s >> 7; s ^= s << 17;
    long j = (long)(s % (uint64_t)(i + 1)), t = perm[i]; perm[i] = perm[j]; perm[j] = t;
  }
  for (long i = 0; i < n; i++) next[perm[i]] = perm[(i + 1) % n];
  long p = 0, sum = 0;
  for (long k = 0; k < n * laps; k++) { p = next[p]; sum += p; }
  int m = 512;
  double *a = malloc(sizeof(double) * m * m), *b = malloc(sizeof(double) * m * m);
  for (int i = 0; i < m * m; i++) a[i] = i;
  for (int bi = 0; bi < m; bi += 16)
    for (int bj = 0; bj < m; bj += 16)
      for (int i = bi; i < bi + 16; i++)
        for (int j = bj; j < bj + 16; j++) b[j * m + i] = a[i * m + j];
  printf("%ld %.1f\n", sum, b[m * 3 + 7]);
  return 0;
}
