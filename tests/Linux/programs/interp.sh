#!/bin/proctest scriptmode
The interpreter line above is all execve reads: it runs /bin/proctest scriptmode PATH ARGS.
