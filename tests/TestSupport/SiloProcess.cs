using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;

namespace Payments.TestSupport;

/// <summary>The real Silo executable in its own process, on a loopback port, with its output captured.</summary>
public sealed partial class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SiloProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        process.OutputDataReceived += (_, line) => Append(line.Data);
        process.ErrorDataReceived += (_, line) => Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts the silo (or, with <paramref name="program"/> "Payments.ApiFrontend.dll", the front end).
    /// Environment entries with a null value are removed from the inherited environment.
    /// </summary>
    public static SiloProcess Start(string workingDirectory, IReadOnlyDictionary<string, string?> environment, string program = "Payments.Silo.dll")
    {
        var siloDll = Path.Combine(AppContext.BaseDirectory, program);
        var port = LoopbackPort.Free();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(siloDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment.Remove("ConnectionStrings__Payments");
        foreach (var (name, value) in TestSignInLimits.Environment)
        {
            start.Environment[name] = value;
        }

        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the silo process.");
        return new SiloProcess(process, new Uri($"http://127.0.0.1:{port}"));
    }

    /// <summary>Waits until GET /health/ready answers 200.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan within)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < within)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The silo exited with {_process.ExitCode} before it was ready:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync("/health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening but slow to answer (a starting silo on a busy machine): ask again until the deadline.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"The silo was not ready within {within}:\n{Output}");
    }

    /// <summary>SIGTERM, as an orchestrator stops a process; returns the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan within)
    {
        Signal(Sigterm, "SIGTERM");

        using var timeout = new CancellationTokenSource(within);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The process did not exit within {within} of SIGTERM; its last output:\n{OutputTail(100)}");
        }

        return _process.ExitCode;
    }

    /// <summary>SIGKILL: the process dies at once, mid-whatever.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
    }

    /// <summary>
    /// SIGSTOP: the process hangs as a whole (its sockets stay open, nothing runs), as in a long GC pause or a frozen VM.
    /// Returns once the kernel reports the process stopped.
    /// </summary>
    public async Task SuspendAsync()
    {
        Signal(Sigstop, "SIGSTOP");
        var stopwatch = Stopwatch.StartNew();
        while (ProcessState() is not ('T' or 't'))
        {
            if (stopwatch.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new TimeoutException($"The process {_process.Id} was not stopped within 10 s of SIGSTOP.");
            }

            await Task.Delay(5);
        }
    }

    /// <summary>SIGCONT: a suspended process runs on from where it stopped.</summary>
    public void Resume() => Signal(Sigcont, "SIGCONT");

    /// <summary>Waits for the process to exit on its own; true if it did within <paramref name="within"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The exit code once the process has exited (128 + the signal's number when a signal ended it).</summary>
    public int ExitCode => _process.ExitCode;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    /// <summary>The last <paramref name="lines"/> lines of the output, for failure messages.</summary>
    public string OutputTail(int lines) => string.Join('\n', Output.Split('\n').TakeLast(lines));

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private void Signal(int signal, string name)
    {
        if (kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({name}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    // The state letter of /proc/<pid>/stat: the field after the command name, which is in parentheses and may hold spaces.
    private char ProcessState()
    {
        var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        return stat[stat.LastIndexOf(')') + 2];
    }

    private const int Sigterm = 15;
    private const int Sigcont = 18;
    private const int Sigstop = 19;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
