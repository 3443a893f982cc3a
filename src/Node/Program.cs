using LxAnnotate.Node.Cli;
using LxAnnotate.Node.Hosting;

SystemTrustStore.Skip();
return await NodeCli.InvokeAsync(args);
