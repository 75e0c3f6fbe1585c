namespace Orleans.Payments.Runtime;

/// <summary>Marker for grain interfaces. Every method returns Task, Task&lt;T&gt;, ValueTask or ValueTask&lt;T&gt;.</summary>
public interface IGrain;

/// <summary>A grain addressed by a string key, e.g. <c>GetGrain&lt;IWalletGrain&gt;("w_123")</c>.</summary>
public interface IGrainWithStringKey : IGrain;
