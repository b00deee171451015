package dev.parley.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU and memory of a process from /proc (Linux), and of the whole machine. */
final class ProcStats {
    /** USER_HZ: the unit of utime/stime in /proc/PID/stat; 100 on every Linux this runs on. */
    static final int CLK_TCK = 100;

    private ProcStats() {
    }

    /** utime + stime of the process in clock ticks, or -1 when it cannot be read. */
    static long cpuTicks(long pid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** VmRSS in kB, or -1. */
    static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return -1;
    }

    /** {busy, total} ticks of all cores from the first line of /proc/stat (busy = total - idle - iowait). */
    static long[] machineTicks() {
        try {
            String first = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim();
            String[] f = first.split("\\s+");
            long total = 0;
            for (int i = 1; i <= 8 && i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    /** CPU time of this JVM (all threads: generator, JIT, GC), in nanoseconds. */
    static long selfCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return -1;
    }

    /** A measurement window: server CPU, generator CPU and machine busy over wall time. */
    static final class Window {
        private final long pid;
        private final long t0 = System.nanoTime();
        private final long server0;
        private final long self0 = selfCpuNanos();
        private final long[] machine0 = machineTicks();
        private long rssPeakKb;

        Window(long pid) {
            this.pid = pid;
            this.server0 = pid > 0 ? cpuTicks(pid) : -1;
            sample();
        }

        void sample() {
            if (pid > 0) {
                rssPeakKb = Math.max(rssPeakKb, rssKb(pid));
            }
        }

        Result end() {
            sample();
            double wallS = (System.nanoTime() - t0) / 1e9;
            long server1 = pid > 0 ? cpuTicks(pid) : -1;
            long[] machine1 = machineTicks();
            double serverCpuS = server0 >= 0 && server1 >= 0 ? (server1 - server0) / (double) CLK_TCK : Double.NaN;
            double selfCpuS = (selfCpuNanos() - self0) / 1e9;
            double machineBusyPct = (machine1[0] - machine0[0]) / (double) CLK_TCK / wallS * 100;
            return new Result(wallS, serverCpuS, selfCpuS, machineBusyPct, rssPeakKb);
        }
    }

    record Result(double wallS, double serverCpuS, double generatorCpuS, double machineBusyPct, long serverRssPeakKb) {
        double serverCpuPct() {
            return serverCpuS / wallS * 100;
        }

        double generatorCpuPct() {
            return generatorCpuS / wallS * 100;
        }

        /** Busy CPU (of 200 on 2 cores) used neither by the server nor by this generator. */
        double otherCpuPct() {
            return machineBusyPct - serverCpuPct() - generatorCpuPct();
        }
    }
}
