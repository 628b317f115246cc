/* vulnd — entry point: dispatches the command table (src/cli/). */
#include "vulnd/cli.h"

int main(int argc, char **argv)
{
	return vd_cli_main(argc, argv);
}
