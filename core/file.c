/*
 * file.c - the one way the core writes a file: atomically.
 *
 * The bytes go to a new file next to the final name, created with O_EXCL
 * (it never follows a symlink planted under the temporary name) and the
 * mode any new file gets (0666 less the umask), are written, flushed and
 * fsynced, then renamed over the final name, and the directory is synced
 * so the rename itself survives a crash.  A failure at any step (a full
 * disk, a missing directory, a rename onto a directory) removes the
 * temporary file and leaves the final name as it was.
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static fp_status io_fail(char *msg, const char *what, const char *path,
                         const char *step, const char *tmp, int err)
{
    fp_errmsg_set(msg, "cannot write %s '%s': %s '%s': %s", what, path, step,
                  tmp, strerror(err));
    return FP_EIO;
}

/* Opens a fresh temporary file next to path: *tmp receives its name (to
 * free), *fd the descriptor.  The counter steps past leftovers of a
 * crashed writer with our pid and other threads writing the same path. */
static fp_status open_temp(const fp_alloc *a, const char *path,
                           const char *what, char **tmp, int *fd, char *msg)
{
    size_t cap = strlen(path) + 48;
    unsigned n;

    *fd = -1;
    *tmp = fp_mem_alloc(a, cap);
    if (!*tmp) {
        fp_errmsg_set(msg, "cannot write %s '%s': out of memory", what, path);
        return FP_ENOMEM;
    }
    for (n = 0; n < 1000; n++) {
        if (n == 0)
            snprintf(*tmp, cap, "%s.tmp.%ld", path, (long)getpid());
        else
            snprintf(*tmp, cap, "%s.tmp.%ld.%u", path, (long)getpid(), n);
        *fd = open(*tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (*fd >= 0 || errno != EEXIST)
            break;
    }
    if (*fd < 0) {
        io_fail(msg, what, path, "creating", *tmp, errno);
        fp_mem_free(a, *tmp);
        *tmp = NULL;
        return FP_EIO;
    }
    return FP_OK;
}

/* write(2) until every byte is out: a short write is not an error. */
static int write_all(int fd, const unsigned char *p, size_t n)
{
    while (n) {
        ssize_t k = write(fd, p, n);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* Makes the rename itself durable; a filesystem that cannot sync a
 * directory has still renamed the file, so failures here are ignored. */
static void sync_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    char dir[4096];
    int fd;

    if (!slash) {
        strcpy(dir, ".");
    } else if ((size_t)(slash - path) + 1 < sizeof dir) {
        memcpy(dir, path, (size_t)(slash - path) + (slash == path));
        dir[(slash - path) + (slash == path)] = '\0';
    } else {
        return;
    }
    fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
}

fp_status fp_file_write(const fp_alloc *a, const char *path, const char *what,
                        const void *data, size_t len, char *msg)
{
    const char *step = NULL;
    char *tmp;
    int fd, err = 0;
    fp_status st = open_temp(a, path, what, &tmp, &fd, msg);

    if (st != FP_OK)
        return st;
    if (write_all(fd, data, len) != 0)
        err = errno, step = "writing";
    else if (fsync(fd) != 0)
        err = errno, step = "syncing";
    if (close(fd) != 0 && !step)
        err = errno, step = "closing";
    if (!step && rename(tmp, path) != 0)
        err = errno, step = "renaming";
    if (step) {
        st = io_fail(msg, what, path, step, tmp, err ? err : EIO);
        (void)unlink(tmp);
    } else {
        sync_dir(path);
    }
    fp_mem_free(a, tmp);
    return st;
}
