/* stdin.c: reading standard input to its end.  Counts lines, words and
 * bytes like wc, prints each line reversed with its number, and reports
 * the longest line, then checks that end-of-file is sticky. */
#include "guest.h"
#include <ctype.h>
#include <stdlib.h>

int main(void)
{
	char line[1024];
	int lines = 0, words = 0, longest = 0;
	long bytes = 0;
	while (fgets(line, sizeof line, stdin)) {
		size_t n = strlen(line);
		bytes += (long)n;
		int had_nl = n > 0 && line[n - 1] == '\n';
		if (had_nl)
			line[--n] = 0;
		lines += had_nl;
		int in_word = 0;
		for (size_t i = 0; i < n; i++) {
			if (isspace((unsigned char)line[i]))
				in_word = 0;
			else if (!in_word) {
				in_word = 1;
				words++;
			}
		}
		if ((int)n > longest)
			longest = (int)n;
		printf("%3d: ", lines + !had_nl);
		/* reversed byte by byte; bytes outside printable ASCII are escaped
		 * so that the output stays valid text */
		for (size_t i = n; i > 0; i--) {
			unsigned char ch = (unsigned char)line[i - 1];
			if (ch >= 0x20 && ch < 0x7f)
				putchar(ch);
			else
				printf("\\x%02x", ch);
		}
		putchar('\n');
	}
	printf("lines=%d words=%d bytes=%ld longest=%d\n", lines, words, bytes, longest);
	printf("feof=%d, getchar after EOF=%d\n", feof(stdin) != 0, getchar());
	return 0;
}
