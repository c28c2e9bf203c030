#ifndef scalebridge_io_termination_h
#define scalebridge_io_termination_h

#include <deal.II/base/mpi.h>

#include <stdexcept>
#include <string>

namespace scalebridge::io
{
  /**
   * SIGTERM, SIGINT or SIGHUP arrived (from the batch system, Ctrl-C, or
   * mpirun, which forwards them to every rank and kills the ranks about 2 s
   * later). Thrown by stop_if_terminated() on every process alike, so that
   * a run ends through its normal error path and removes what it had
   * started to write.
   */
  class Terminated : public std::runtime_error
  {
  public:
    explicit Terminated(const std::string &what);
  };

  /**
   * Makes SIGTERM, SIGINT and SIGHUP only record that they arrived (for
   * apps that call stop_if_terminated() at safe points). A watchdog
   * (SIGALRM, @p grace_seconds later) still ends a process that reaches no
   * safe point in time. Call after MPI and PETSc are initialised: PETSc
   * installs handlers of its own that print a page and abort.
   */
  void
  record_termination_signals(unsigned int grace_seconds = 10);

  /// Restores the default action (end the process at once) of SIGTERM,
  /// SIGINT and SIGHUP, for apps without safe points; their outputs are
  /// written atomically, so nothing partial stays.
  void
  default_termination_signals();

  /**
   * A staging folder (and its lock file) that the first termination signal
   * removes at once if the folder is still empty (rmdir and unlink are
   * async-signal-safe): a run stopped where it reaches no safe point in
   * time (a long mesh build; mpirun kills the ranks about 2 s after
   * forwarding SIGTERM) leaves no hidden folder behind. An empty @p folder
   * clears the registration. One registration at a time.
   */
  void
  remove_if_empty_on_termination(const std::string &folder,
                                 const std::string &lock_file);

  /// The recorded signal, 0 if none arrived.
  int
  termination_signal();

  /**
   * A safe point: when any process of @p communicator has received a
   * termination signal, every process throws Terminated, whose message
   * names the signal and @p where ("at t = 12 s"). Collective and cheap
   * (one small allreduce).
   */
  void
  stop_if_terminated(MPI_Comm communicator, const std::string &where);
} // namespace scalebridge::io

#endif
