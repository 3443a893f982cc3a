using LxAnnotate.Node.Cli;

return await NodeCli.Build().Parse(args).InvokeAsync();
