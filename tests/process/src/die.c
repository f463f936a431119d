/* die.c: how the program itself ends.  usage: die abort|segv|kill|exit N|thread-exit N */
#include "t.h"
#include <pthread.h>
#include <stdint.h>

static void *th(void *arg)
{
	msleep(30);
	exit((int)(intptr_t)arg);
}

int main(int argc, char **argv)
{
	const char *how = argc > 1 ? argv[1] : "exit";
	printf("dying by %s\n", how);
	fflush(stdout);
	if (!strcmp(how, "abort"))
		abort();
	if (!strcmp(how, "segv"))
		segv();
	if (!strcmp(how, "kill"))
		kill(getpid(), SIGKILL);
	if (!strcmp(how, "term")) {
		signal(SIGTERM, SIG_DFL);
		raise(SIGTERM);
	}
	if (!strcmp(how, "thread-exit")) {
		/* another thread calls exit() while main waits in join */
		pthread_t t;
		pthread_create(&t, NULL, th, (void *)(intptr_t)atoi(argv[2]));
		pthread_join(t, NULL);
		return 1;
	}
	return argc > 2 ? atoi(argv[2]) : 0;
}
