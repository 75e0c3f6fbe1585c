using Orleans.Payments.Runtime.Timers;

namespace Orleans.Payments.Runtime.Tests.Grains;

public interface ITickingGrain : IGrainWithStringKey
{
    Task Start(int periodMilliseconds);

    Task Stop();

    /// <summary>A slow call; ticks must not run inside it.</summary>
    Task SlowCall(int milliseconds);

    Task<(int Ticks, int Overlaps)> Read();
}

public sealed class TickingGrain : Grain, ITickingGrain
{
    private IGrainTimer? _timer;
    private int _ticks;
    private int _overlaps;
    private bool _busy;

    public Task Start(int periodMilliseconds)
    {
        _timer = RegisterGrainTimer(OnTick, TimeSpan.FromMilliseconds(periodMilliseconds), TimeSpan.FromMilliseconds(periodMilliseconds));
        return Task.CompletedTask;
    }

    public Task Stop()
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    public async Task SlowCall(int milliseconds)
    {
        _busy = true;
        await Task.Delay(milliseconds);
        _busy = false;
    }

    public Task<(int Ticks, int Overlaps)> Read() => Task.FromResult((_ticks, _overlaps));

    private async Task OnTick(CancellationToken cancellationToken)
    {
        if (_busy)
        {
            _overlaps++;
        }

        _busy = true;
        await Task.Yield();
        _ticks++;
        _busy = false;
    }
}
