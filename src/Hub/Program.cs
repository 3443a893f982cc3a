using LxAnnotate.Hub.Cli;

return await HubCli.InvokeAsync(args);
