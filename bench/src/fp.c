/* Floating-point benchmark: n-body simulation (doubles, sqrt, fused multiply-add opportunities). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define N 5
static double x[N], y[N], z[N], vx[N], vy[N], vz[N], mass[N];

static void init(void) {
  for (int i = 0; i < N; i++) {
    x[i] = i * 1.1; y[i] = i * 0.7 - 1.0; z[i] = (i % 3) * 0.5;
    vx[i] = 0.01 * i; vy[i] = -0.02 * i; vz[i] = 0.005; mass[i] = 1.0 + i * 0.25;
  }
}

static double energy(void) {
  double e = 0;
  for (int i = 0; i < N; i++) {
    e += 0.5 * mass[i] * (vx[i] * vx[i] + vy[i] * vy[i] + vz[i] * vz[i]);
    for (int j = i + 1; j < N; j++) {
      double dx = x[i] - x[j], dy = y[i] - y[j], dz = z[i] - z[j];
      e -= mass[i] * mass[j] / sqrt(dx * dx + dy * dy + dz * dz);
    }
  }
  return e;
}

int main(int argc, char **argv) {
  int steps = argc > 1 ? atoi(argv[1]) : 200000;
  double dt = 0.001;
  init();
  printf("%.9f\n", energy());
  for (int s = 0; s < steps; s++) {
    for (int i = 0; i < N; i++)
      for (int j = i + 1; j < N; j++) {
        double dx = x[i] - x[j], dy = y[i] - y[j], dz = z[i] - z[j];
        double d2 = dx * dx + dy * dy + dz * dz + 0.01;
        double mag = dt / (d2 * sqrt(d2));
        vx[i] -= dx * mass[j] * mag; vy[i] -= dy * mass[j] * mag; vz[i] -= dz * mass[j] * mag;
        vx[j] += dx * mass[i] * mag; vy[j] += dy * mass[i] * mag; vz[j] += dz * mass[i] * mag;
      }
    for (int i = 0; i < N; i++) { x[i] += dt * vx[i]; y[i] += dt * vy[i]; z[i] += dt * vz[i]; }
  }
  printf("%.9f\n", energy());
  return 0;
}
