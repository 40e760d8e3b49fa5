/*
 * pciids - pack pci.ids for the boot image (docs/pcid.md).
 *
 * usage: pciids IN OUT
 *
 * Keeps the lines lspci looks up: vendors, their devices, classes and
 * subclasses; drops comments, blank lines, subsystem lines (two tabs)
 * and programming interfaces, which are most of the file. The result is
 * still pci.ids text, so lib/pci/ids.c reads the full file and the
 * packed one alike. A missing IN (the pci.ids package not installed)
 * gives an empty OUT: the image then carries no names and lspci prints
 * numbers. Prints the sizes before and after.
 */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: pciids IN OUT\n");
		return 2;
	}
	FILE *in = fopen(argv[1], "r");
	FILE *out = fopen(argv[2], "w");
	if (!out) {
		perror(argv[2]);
		return 1;
	}
	if (!in) {
		fclose(out);
		printf("pciids: %s absent: no names in the image\n", argv[1]);
		return 0;
	}
	char line[4096];
	long before = 0, after = 0;
	while (fgets(line, sizeof line, in)) {
		size_t n = strlen(line);
		before += (long)n;
		if (line[0] == '#' || line[0] == '\n' || line[0] == '\r')
			continue;
		if (line[0] == '\t' && line[1] == '\t')
			continue; /* subsystem, or a class's programming interface */
		if (fputs(line, out) == EOF) {
			perror(argv[2]);
			return 1;
		}
		after += (long)n;
	}
	fclose(in);
	if (fclose(out) != 0) {
		perror(argv[2]);
		return 1;
	}
	printf("pciids: %ld -> %ld bytes\n", before, after);
	return 0;
}
