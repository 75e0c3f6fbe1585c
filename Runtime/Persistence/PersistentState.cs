using System.Diagnostics;
using System.Text.Json;
using Orleans.Payments.Runtime.Diagnostics;

namespace Orleans.Payments.Runtime.Persistence;

/// <summary>The runtime's <see cref="IPersistentState{TState}"/>: JSON payload, storage-assigned ETag, metrics on every operation.</summary>
internal sealed class PersistentState<TState>(GrainId grainId, string stateName, IGrainStorage storage, JsonSerializerOptions json)
    : IPersistentState<TState>, ILoadablePersistentState
    where TState : class, new()
{
    public TState State { get; set; } = new();

    public string? Etag { get; private set; }

    public bool RecordExists => Etag is not null;

    public async Task ReadStateAsync()
    {
        var reading = storage.ReadAsync(grainId, stateName, CancellationToken.None);
        await Measure("read", reading);
        if (await reading is { } record)
        {
            State = JsonSerializer.Deserialize<TState>(record.Payload.Span, json)
                ?? throw new InvalidOperationException($"Stored state '{stateName}' of {grainId} is JSON null.");
            Etag = record.Etag;
        }
        else
        {
            State = new TState();
            Etag = null;
        }
    }

    public async Task WriteStateAsync()
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(State, json);
        var writing = storage.WriteAsync(grainId, stateName, payload, Etag, CancellationToken.None);
        await Measure("write", writing);
        Etag = await writing;
    }

    public async Task ClearStateAsync()
    {
        await Measure("clear", storage.ClearAsync(grainId, stateName, Etag, CancellationToken.None));
        State = new TState();
        Etag = null;
    }

    Task ILoadablePersistentState.LoadAsync() => ReadStateAsync();

    private static async Task Measure(string operation, Task pending)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await pending;
        }
        catch (Exception error) when (error is not InconsistentStateException)
        {
            RuntimeMetrics.StorageErrors.Add(1, new KeyValuePair<string, object?>("operation", operation));
            throw;
        }
        finally
        {
            RuntimeMetrics.StorageLatency.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, new KeyValuePair<string, object?>("operation", operation));
        }
    }
}

/// <summary>Lets the activation read every state of a grain before activation without knowing the state types.</summary>
internal interface ILoadablePersistentState
{
    Task LoadAsync();
}
