/*
 * The calling thread's nice value, for io.ovserve.os.Nice. On Linux a nice value belongs to a thread
 * (PRIO_PROCESS with who 0 is the calling thread), and threads it creates afterwards inherit it.
 */
#ifndef OVSERVE_NICE_H
#define OVSERVE_NICE_H

#include <errno.h>
#include <sys/resource.h>

/* Adds increment to the calling thread's nice value; returns 0, or the errno of the failure. */
static int ovserve_nice_this_thread(int increment) {
    errno = 0;
    int nice = getpriority(PRIO_PROCESS, 0);
    if (nice == -1 && errno != 0) {
        return errno;
    }
    return setpriority(PRIO_PROCESS, 0, nice + increment) == 0 ? 0 : errno;
}

#endif
